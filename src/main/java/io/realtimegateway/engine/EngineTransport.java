package io.realtimegateway.engine;

import io.realtimegateway.protocol.engine.EnginePacket;

/**
 * How an Engine.IO session reaches its client: a WebSocket, or HTTP long-polling. {@link #close}
 * comes from the session's context; {@link #send} from any thread when {@link #sendsFromAnyThread},
 * else from the session's context only.
 */
public interface EngineTransport {

  /** The transport's Engine.IO name: {@code websocket} or {@code polling}. */
  String name();

  /**
   * Whether {@link #send} may be called from any thread (frames sent by one thread keep their
   * order). A transport that says no gets its packets on the session's context.
   */
  boolean sendsFromAnyThread();

  /** Sends one packet (a binary MESSAGE as binary data). */
  void send(EnginePacket packet);

  /** Bytes handed to the transport that the network has not taken yet. */
  long queuedBytes();

  /**
   * Closes the transport with a close code a WebSocket client sees. With {@code flush}, packets
   * still waiting for the client go out first where the transport holds them (a polling transport
   * keeps them for the next poll). {@code released} runs once nothing can reach the session through
   * this transport any more.
   */
  void close(CloseCode code, boolean flush, Runnable released);
}
