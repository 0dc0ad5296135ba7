package io.realtimegateway.protocol.socket;

/** A message that is not a valid Socket.IO v5 packet. */
public class SocketProtocolException extends Exception {
  public SocketProtocolException(String message) {
    super(message);
  }
}
