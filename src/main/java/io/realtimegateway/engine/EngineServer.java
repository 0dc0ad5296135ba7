package io.realtimegateway.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EngineProtocolException;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns every Engine.IO session of this process, whatever its transport: opens them with the
 * handshake packet, turns frames into packets, enforces {@code maxPayload} and closes sessions.
 * Methods that say so run on the session's context; the others hop there themselves.
 */
@ApplicationScoped
public class EngineServer {

  private static final String MUTINY_SMALL_BUFFER = "mutiny.buffer-size.s";
  private static final String WEBSOCKET = "websocket";

  private final GatewayConfig.Engine config;
  private final ObjectMapper json;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
  private final boolean polling;
  private final boolean websocket;
  private final int replicaTag;
  private volatile boolean draining;

  public EngineServer(GatewayConfig config, ObjectMapper json, SessionOwners owners) {
    this.config = config.engine();
    this.json = json;
    this.replicaTag = owners.localTag();
    List<String> transports =
        this.config
            .transports()
            .orElse(
                this.config.enableWebsocketSupport()
                    ? List.of(PollingTransport.NAME, WEBSOCKET)
                    : List.of(PollingTransport.NAME));
    // Settings checked at start-up (config.Setting) accept any case and spaces around names.
    List<String> served =
        transports.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
    this.polling = served.contains(PollingTransport.NAME);
    this.websocket = served.contains(WEBSOCKET);
  }

  /** Whether a transport ({@code polling}, {@code websocket}) is served. */
  public boolean serves(String transport) {
    return PollingTransport.NAME.equals(transport)
        ? polling
        : WEBSOCKET.equals(transport) && websocket;
  }

  /** The open session with this sid, or null. Any thread. */
  EngineSession session(String sid) {
    return sid == null ? null : sessions.get(sid);
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
    String sid = SessionIds.withTag(replicaTag);
    EngineSession session =
        new EngineSession(
            sid,
            transport,
            listener,
            closed -> sessions.remove(closed.sid(), closed),
            context,
            config.pingInterval(),
            config.pingTimeout(),
            config.maxQueuedBytes().asLongValue());
    sessions.put(sid, session);
    session.start(openPayload(sid, transport));
    return session;
  }

  /**
   * A WebSocket opened with the sid of a polling session: offers it as the session's new transport.
   * Any thread; the WebSocket is closed when the session cannot take it.
   */
  public void upgrade(EngineSession session, EngineTransport candidate) {
    session.execute(
        () -> {
          if (!session.offerUpgrade(candidate, config.upgradeTimeout())) {
            Log.debugf(
                "engine session %s cannot upgrade now, closing the WebSocket", session.sid());
            candidate.close(CloseCode.POLICY_VIOLATION, false, () -> {});
          }
        });
  }

  /** A text frame arrived on one of the session's transports. Any thread. */
  public void onText(EngineSession session, EngineTransport from, String frame) {
    if (frame.length() > config.maxPayload()
        && frame.getBytes(StandardCharsets.UTF_8).length > config.maxPayload()) {
      tooBig(session, from);
      return;
    }
    try {
      EnginePacket packet = EnginePacketCodec.decodeText(frame);
      session.execute(() -> session.receive(from, packet));
    } catch (EngineProtocolException e) {
      Log.debugf(
          "engine session %s sent an invalid packet (%s), closing", session.sid(), e.getMessage());
      session.execute(
          () -> session.transportFailed(from, "parse error", CloseCode.POLICY_VIOLATION));
    }
  }

  /** A binary frame arrived on one of the session's transports. Any thread. */
  public void onBinary(EngineSession session, EngineTransport from, byte[] frame) {
    if (frame.length > config.maxPayload()) {
      tooBig(session, from);
      return;
    }
    EnginePacket packet = EnginePacketCodec.decodeBinary(frame);
    session.execute(() -> session.receive(from, packet));
  }

  /**
   * A polling POST's body arrived; on the session's context. False when it is not a valid payload,
   * and the session is closed.
   */
  boolean onPayload(EngineSession session, PollingTransport from, String payload) {
    List<EnginePacket> packets;
    try {
      packets = EnginePacketCodec.decodePayload(payload);
    } catch (EngineProtocolException e) {
      Log.debugf(
          "engine session %s posted an invalid payload (%s), closing",
          session.sid(), e.getMessage());
      session.transportFailed(from, "parse error", CloseCode.POLICY_VIOLATION);
      return false;
    }
    for (EnginePacket packet : packets) {
      session.receive(from, packet);
    }
    return true;
  }

  /** A polling POST over {@code maxPayload}; on the session's context. */
  void onPayloadTooLarge(EngineSession session, PollingTransport from) {
    Log.debugf("engine session %s posted a payload over maxPayload, closing", session.sid());
    session.transportFailed(from, "payload too large", CloseCode.MESSAGE_TOO_BIG);
  }

  /** Largest accepted message or polling payload, in bytes. */
  int maxPayload() {
    return config.maxPayload();
  }

  /** How long a closing polling session keeps what is left for the client's next GET. */
  Duration closeLinger() {
    return config.pingTimeout();
  }

  /**
   * The transport failed: a message over the WebSocket limit (compressed, fragmented or inflating
   * past it), a broken connection. The session ends and the connection is closed, so a client
   * cannot keep a socket open by sending what the server refused.
   */
  public void onTransportError(EngineSession session, EngineTransport from, Throwable failure) {
    boolean tooBig = isTooBig(failure);
    Log.debugf(
        "engine session %s: transport error, closing: %s", session.sid(), failure.toString());
    session.execute(
        () ->
            session.transportFailed(
                from,
                tooBig ? "payload too large" : "transport error",
                tooBig ? CloseCode.MESSAGE_TOO_BIG : CloseCode.POLICY_VIOLATION));
  }

  /** The transport went away by itself (client closed, network gone). Any thread. */
  public void onTransportClosed(EngineSession session, EngineTransport from, String reason) {
    session.execute(() -> session.transportClosed(from, reason));
  }

  /** Number of open sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  /** The open sessions, as they are now. */
  public List<EngineSession> openSessions() {
    return List.copyOf(sessions.values());
  }

  /**
   * From now on handshakes are refused (the replica drains); open sessions go on until they are
   * closed. For good.
   */
  public void refuseNewSessions() {
    draining = true;
  }

  /** Whether handshakes are refused because the replica drains. */
  public boolean isDraining() {
    return draining;
  }

  private void tooBig(EngineSession session, EngineTransport from) {
    Log.debugf("engine session %s sent a message over maxPayload, closing", session.sid());
    session.execute(
        () -> session.transportFailed(from, "payload too large", CloseCode.MESSAGE_TOO_BIG));
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

  private String openPayload(String sid, EngineTransport transport) {
    ObjectNode open = json.createObjectNode();
    open.put("sid", sid);
    ArrayNode upgrades = open.putArray("upgrades");
    if (websocket && PollingTransport.NAME.equals(transport.name())) {
      upgrades.add(WEBSOCKET);
    }
    open.put("pingInterval", config.pingInterval().toMillis());
    open.put("pingTimeout", config.pingTimeout().toMillis());
    open.put("maxPayload", config.maxPayload());
    return open.toString();
  }
}
