package io.realtimegateway.engine;

/**
 * How an Engine.IO session reaches its client: WebSocket today, HTTP long-polling later. Sends may
 * come from any thread (frames sent by one thread keep their order); {@link #close} comes from the
 * session's context.
 */
public interface EngineTransport {

  /** Sends one text-encoded Engine.IO packet. */
  void sendText(String frame);

  /** Sends the data of one binary MESSAGE packet. */
  void sendBinary(byte[] data);

  /** Bytes handed to the transport that the network has not taken yet. */
  long queuedBytes();

  /** Closes the underlying connection with a close code the client sees. */
  void close(CloseCode code);
}
