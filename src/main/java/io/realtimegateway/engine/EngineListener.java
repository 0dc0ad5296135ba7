package io.realtimegateway.engine;

import io.realtimegateway.protocol.engine.EnginePacket;
import java.util.Set;

/**
 * What sits on top of an Engine.IO session (the Socket.IO server, or the raw echo of the
 * conformance profile). Called on the session's event loop, one call at a time per session.
 */
public interface EngineListener {

  /** The public HTTP paths this listener serves, e.g. {@code /ws/socket.io}; may be empty. */
  Set<String> paths();

  /** The OPEN packet has been sent. */
  void onOpen(EngineSession session);

  /** A MESSAGE packet arrived (text or binary). */
  void onMessage(EngineSession session, EnginePacket message);

  /** The session is closed; nothing can be sent any more. */
  void onClose(EngineSession session, String reason);
}
