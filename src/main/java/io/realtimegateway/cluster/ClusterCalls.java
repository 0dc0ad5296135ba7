package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.emit.RemoteSessions;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Calls to sessions held by other hosts, as python-socketio routes them: an {@code emit} with a
 * {@code callback} target, answered by a {@code callback} message addressed to this host. The
 * caller's timeout applies; a session that leaves the shared session pool (its replica died and was
 * cleaned up, or it disconnected) ends the call at once.
 */
public final class ClusterCalls implements RemoteSessions {

  /** How often a waiting call checks that its session still exists. */
  private static final Duration SESSION_CHECK = Duration.ofSeconds(1);

  private final ClusterBus bus;
  private final SessionPool sessions;
  private final Vertx vertx;
  private final Supplier<String> hostId;

  /** One counter for all targets: ids stay unique per target, and nothing accumulates per sid. */
  private final AtomicLong ackIds = new AtomicLong();

  private final Map<String, CompletableFuture<List<JsonNode>>> pending = new ConcurrentHashMap<>();

  public ClusterCalls(ClusterBus bus, SessionPool sessions, Vertx vertx, Supplier<String> hostId) {
    this.bus = bus;
    this.sessions = sessions;
    this.vertx = vertx;
    this.hostId = hostId;
  }

  @Override
  public Uni<List<JsonNode>> call(String sid, String event, JsonNode data, Duration timeout) {
    return sessions
        .get(sid)
        .chain(
            entry -> {
              if (entry.isEmpty()) {
                return Uni.createFrom().failure(new SessionDisconnectedException(sid));
              }
              return publishAndWait(sid, event, data, timeout);
            });
  }

  private Uni<List<JsonNode>> publishAndWait(
      String sid, String event, JsonNode data, Duration timeout) {
    long id = ackIds.incrementAndGet();
    String key = sid + "#" + id;
    CompletableFuture<List<JsonNode>> answer = new CompletableFuture<>();
    pending.put(key, answer);
    long watch =
        vertx.setPeriodic(
            SESSION_CHECK.toMillis(),
            timer ->
                sessions
                    .get(sid)
                    .subscribe()
                    .with(
                        entry -> {
                          if (entry.isEmpty()) {
                            answer.completeExceptionally(new SessionDisconnectedException(sid));
                          }
                        },
                        failure -> {}));
    ClusterMessage.Emit emit =
        new ClusterMessage.Emit(
            event,
            List.of(data),
            SocketPacket.MAIN_NAMESPACE,
            List.of(sid),
            List.of(),
            new ClusterMessage.CallbackTarget(sid, SocketPacket.MAIN_NAMESPACE, id),
            hostId.get());
    return bus.publish(emit)
        .chain(() -> Uni.createFrom().completionStage(answer))
        .ifNoItem()
        .after(timeout)
        .failWith(() -> new CallTimeoutException(sid, timeout))
        .onTermination()
        .invoke(
            () -> {
              pending.remove(key);
              vertx.cancelTimer(watch);
            });
  }

  /** A callback for this host arrived. Unknown ids (a call that already ended) are ignored. */
  void complete(ClusterMessage.Callback callback) {
    CompletableFuture<List<JsonNode>> answer = pending.remove(callback.sid() + "#" + callback.id());
    if (answer != null) {
      answer.complete(callback.args());
    }
  }

  @Override
  public void disconnect(String sid) {
    bus.publishOrLog(new ClusterMessage.Disconnect(sid, SocketPacket.MAIN_NAMESPACE, hostId.get()));
  }
}
