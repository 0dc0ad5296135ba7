package io.realtimegateway.socket;

/** The target socket of a call is not connected, or disconnected before it answered. */
public class SessionDisconnectedException extends RuntimeException {
  public SessionDisconnectedException(String sid) {
    super("Client session disconnected: " + sid);
  }
}
