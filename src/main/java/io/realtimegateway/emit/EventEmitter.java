package io.realtimegateway.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketServer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Java API for backends: push events to rooms or sessions, and call one browser tab and wait
 * for its answer. The HTTP API under {@code /internal/v1} is a thin layer over this class.
 */
@ApplicationScoped
public class EventEmitter {

  private final SocketServer server;
  private final GatewayConfig.Caller callerConfig;

  public EventEmitter(SocketServer server, GatewayConfig config) {
    this.server = server;
    this.callerConfig = config.caller();
  }

  /**
   * Emits {@code event} with {@code data} as its single argument on namespace {@code /}.
   *
   * @param rooms target rooms; together with {@code to} empty means every socket
   * @param to a single sid to add to the targets, may be {@code null}
   * @param skipSids sids that must not receive it
   * @return how many sockets of this process received it
   */
  public int emit(String event, JsonNode data, Set<String> rooms, String to, Set<String> skipSids) {
    Set<String> targets = new HashSet<>(rooms);
    if (to != null) {
      targets.add(to);
    }
    return server.broadcast(
        SocketPacket.MAIN_NAMESPACE, new BroadcastTarget(targets, skipSids), event, data);
  }

  /**
   * Calls one session: emits {@code event} with an ack id and waits for the browser's answer.
   *
   * @param timeout how long to wait; {@code null} for {@code WEBSOCKET_EVENT_CALLER_TIMEOUT}
   * @return the ack: one argument as is, several as an array, none as JSON null; fails with {@link
   *     SessionDisconnectedException} or {@link CallTimeoutException}, never waits forever
   */
  public Uni<JsonNode> call(String sessionId, String event, JsonNode data, Duration timeout) {
    Duration wait = timeout == null ? callerConfig.timeout() : timeout;
    if (wait.compareTo(callerConfig.maxTimeout()) > 0) {
      wait = callerConfig.maxTimeout();
    }
    Socket socket = server.mainNamespace().socket(sessionId).orElse(null);
    if (socket == null) {
      return Uni.createFrom().failure(new SessionDisconnectedException(sessionId));
    }
    Duration bounded = wait;
    return Uni.createFrom()
        .completionStage(() -> socket.emitWithAck(event, bounded, data))
        .map(EventEmitter::collapse);
  }

  /**
   * Disconnects sessions from the server side: they receive DISCONNECT, which socket.io-client does
   * not retry (Open WebUI's {@code disconnect_user_sessions}, used on role changes).
   *
   * @param sessionIds sids to disconnect
   * @param userIds users whose every session is disconnected
   * @return how many sockets of this process were disconnected
   */
  public int disconnect(Set<String> sessionIds, Set<String> userIds) {
    Set<String> sids = new HashSet<>(sessionIds);
    for (String userId : userIds) {
      sids.addAll(server.mainNamespace().rooms().sids("user:" + userId));
    }
    int disconnected = 0;
    for (String sid : sids) {
      Socket socket = server.mainNamespace().socket(sid).orElse(null);
      if (socket != null) {
        server.disconnect(socket);
        disconnected++;
      }
    }
    return disconnected;
  }

  private static JsonNode collapse(List<JsonNode> args) {
    if (args.isEmpty()) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (args.size() == 1) {
      return args.get(0);
    }
    return JsonNodeFactory.instance.arrayNode().addAll(args);
  }
}
