package io.realtimegateway.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EngineProtocolException;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns every Engine.IO session of this process, whatever its transport: opens them with the
 * handshake packet, turns frames into packets, enforces {@code maxPayload} and closes sessions.
 * Every method but {@link #sessionCount} runs on the session's context.
 */
@ApplicationScoped
public class EngineServer {

  private static final String MUTINY_SMALL_BUFFER = "mutiny.buffer-size.s";

  private final GatewayConfig.Engine config;
  private final ObjectMapper json;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();

  public EngineServer(GatewayConfig config, ObjectMapper json) {
    this.config = config.engine();
    this.json = json;
  }

  /**
   * Process-wide: Mutiny's small queues start with {@code mutiny.buffer-size.s} slots, 256 unless
   * set. websockets-next gives every connection such a queue, about 1 KB per idle connection for a
   * queue that rarely holds more than a few actions; queues grow chunk by chunk when they must. So
   * the gateway starts them at 16 slots, unless the JVM was started with the property.
   */
  void shrinkSmallQueues(@Observes StartupEvent started) {
    if (System.getProperty(MUTINY_SMALL_BUFFER) == null) {
      Infrastructure.setBufferSizeS(16);
    }
  }

  /** Opens a session on a transport that has just been established and sends OPEN. */
  public EngineSession open(EngineTransport transport, EngineListener listener, Context context) {
    String sid = SessionIds.next();
    EngineSession session =
        new EngineSession(
            sid,
            transport,
            listener,
            closed -> sessions.remove(closed.sid()),
            context,
            config.pingInterval(),
            config.pingTimeout(),
            config.maxQueuedBytes().asLongValue());
    sessions.put(sid, session);
    session.start(openPayload(sid));
    return session;
  }

  /** A text frame arrived for the session. */
  public void onText(EngineSession session, String frame) {
    if (frame.length() > config.maxPayload()
        && frame.getBytes(StandardCharsets.UTF_8).length > config.maxPayload()) {
      tooBig(session);
      return;
    }
    try {
      session.receive(EnginePacketCodec.decodeText(frame));
    } catch (EngineProtocolException e) {
      Log.debugf(
          "engine session %s sent an invalid packet (%s), closing", session.sid(), e.getMessage());
      session.close("parse error", CloseCode.POLICY_VIOLATION);
    }
  }

  /** A binary frame arrived for the session. */
  public void onBinary(EngineSession session, byte[] frame) {
    if (frame.length > config.maxPayload()) {
      tooBig(session);
      return;
    }
    session.receive(EnginePacketCodec.decodeBinary(frame));
  }

  /**
   * The transport failed: a message over the WebSocket limit (compressed, fragmented or inflating
   * past it), a broken connection. The session ends and the connection is closed, so a client
   * cannot keep a socket open by sending what the server refused.
   */
  public void onTransportError(EngineSession session, Throwable failure) {
    boolean tooBig = isTooBig(failure);
    Log.debugf(
        "engine session %s: transport error, closing: %s", session.sid(), failure.toString());
    session.close(
        tooBig ? "payload too large" : "transport error",
        tooBig ? CloseCode.MESSAGE_TOO_BIG : CloseCode.POLICY_VIOLATION);
  }

  /** The transport went away by itself (client closed, network gone). */
  public void onTransportClosed(EngineSession session, String reason) {
    session.transportClosed(reason);
  }

  /** Number of open sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  private void tooBig(EngineSession session) {
    Log.debugf("engine session %s sent a message over maxPayload, closing", session.sid());
    session.close("payload too large", CloseCode.MESSAGE_TOO_BIG);
  }

  /**
   * How Vert.x and Netty report a message over the WebSocket limits: Vert.x's message aggregation
   * throws an {@link IllegalStateException} naming the max message size (also for a compressed
   * message that inflates past it), Netty's frame decoder a corrupted-frame exception whose close
   * status is 1009.
   */
  private static boolean isTooBig(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus().code() == CloseCode.MESSAGE_TOO_BIG.code();
    }
    return failure instanceof IllegalStateException
        && String.valueOf(failure.getMessage()).contains("max message size");
  }

  private String openPayload(String sid) {
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
