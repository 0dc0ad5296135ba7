package io.realtimegateway.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EngineProtocolException;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns every Engine.IO session of this process, whatever its transport: opens them with the
 * handshake packet, turns frames into packets, enforces {@code maxPayload} and closes sessions.
 */
@ApplicationScoped
public class EngineServer {

  private static final int CONNECTION_QUEUE_CHUNK = 16;

  private final GatewayConfig.Engine config;
  private final Vertx vertx;
  private final ObjectMapper json;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();

  public EngineServer(GatewayConfig config, Vertx vertx, ObjectMapper json) {
    this.config = config.engine();
    this.vertx = vertx;
    this.json = json;
  }

  /**
   * websockets-next gives every connection a Mutiny MPSC queue whose first chunk has {@code
   * mutiny.buffer-size.s} slots: 256 by default, about 1 KB per idle connection for a queue that
   * rarely holds more than a few actions. It grows chunk by chunk when it must, so the smallest
   * chunk Mutiny allows costs nothing but that memory. An explicit system property still wins.
   */
  void shrinkConnectionQueues(@Observes StartupEvent started) {
    Infrastructure.setBufferSizeS(CONNECTION_QUEUE_CHUNK);
  }

  /** Opens a session on a transport that has just been established and sends OPEN. */
  public EngineSession open(
      EngineTransport transport, EngineListener listener, Map<String, String> handshake) {
    String sid = SessionIds.next();
    EngineSession session =
        new EngineSession(
            sid,
            transport,
            listener,
            vertx,
            config.pingInterval(),
            config.pingTimeout(),
            handshake);
    sessions.put(sid, session);
    session.start(openPayload(sid, transport));
    return session;
  }

  /** A text frame arrived for the session. */
  public void onText(EngineSession session, String frame) {
    if (frame.length() > config.maxPayload()
        && frame.getBytes(StandardCharsets.UTF_8).length > config.maxPayload()) {
      Log.debugf("engine session %s sent a frame over maxPayload, closing", session.sid());
      session.close("payload too large");
      return;
    }
    try {
      session.receive(EnginePacketCodec.decodeText(frame));
    } catch (EngineProtocolException e) {
      Log.debugf(
          "engine session %s sent an invalid packet (%s), closing", session.sid(), e.getMessage());
      session.close("parse error");
    }
  }

  /** A binary frame arrived for the session. */
  public void onBinary(EngineSession session, byte[] frame) {
    if (frame.length > config.maxPayload()) {
      Log.debugf("engine session %s sent a frame over maxPayload, closing", session.sid());
      session.close("payload too large");
      return;
    }
    session.receive(EnginePacketCodec.decodeBinary(frame));
  }

  /** The transport went away (client closed, network error). */
  public void onTransportClosed(EngineSession session, String reason) {
    sessions.remove(session.sid());
    session.transportClosed(reason);
  }

  /** Number of open sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  private String openPayload(String sid, EngineTransport transport) {
    ObjectNode open = json.createObjectNode();
    open.put("sid", sid);
    // A WebSocket session has nothing to upgrade to; polling (later) will offer "websocket".
    open.putArray("upgrades");
    open.put("pingInterval", config.pingInterval().toMillis());
    open.put("pingTimeout", config.pingTimeout().toMillis());
    open.put("maxPayload", config.maxPayload());
    return open.toString();
  }
}
