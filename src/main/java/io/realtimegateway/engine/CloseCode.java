package io.realtimegateway.engine;

/** Why the server ends a connection, as the WebSocket close code the client receives. */
public enum CloseCode {
  /** The session ended (client CLOSE, ping timeout, server disconnect). */
  NORMAL(1000),
  /** The server is going away (drain): the client reconnects, to another replica. */
  GOING_AWAY(1001),
  /** The client broke a rule that is not about size: a slow consumer, a protocol error. */
  POLICY_VIOLATION(1008),
  /** A message above {@code maxPayload} or the WebSocket message limit. */
  MESSAGE_TOO_BIG(1009);

  private final int code;

  CloseCode(int code) {
    this.code = code;
  }

  /** The WebSocket close status. */
  public int code() {
    return code;
  }
}
