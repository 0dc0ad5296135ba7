package io.realtimegateway.engine;

/** How an Engine.IO session reaches its client: WebSocket today, HTTP long-polling later. */
public interface EngineTransport {

  /** Transport name as it appears in the {@code transport} query parameter. */
  String name();

  /** Sends one text-encoded Engine.IO packet. Safe to call from any thread. */
  void sendText(String frame);

  /** Sends the data of one binary MESSAGE packet. Safe to call from any thread. */
  void sendBinary(byte[] data);

  /** Closes the underlying connection; the session learns of it through its close callback. */
  void close();
}
