package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.emit.RemoteSessions;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Calls to sessions held by other hosts, as python-socketio routes them: an {@code emit} with a
 * {@code callback} target, answered by a {@code callback} message addressed to this host. This
 * class owns every pending remote call, and one sweep ends them: a call past its timeout fails with
 * {@link CallTimeoutException}; a call whose session left the shared session pool (its replica died
 * and was cleaned up, or it disconnected) fails at once with {@link SessionDisconnectedException}.
 */
@Singleton
@Typed(ClusterCalls.class)
public final class ClusterCalls implements RemoteSessions {

  /** Deadlines are checked this often; a call ends at most this late. */
  private static final Duration SWEEP = Duration.ofMillis(250);

  /** The session pool is asked about waiting calls' sessions every this many sweeps (1 s). */
  private static final int POOL_CHECK_EVERY = 4;

  private final ClusterBus bus;
  private final SessionPool sessions;
  private final Vertx vertx;
  private final String hostId;

  /** One counter for all targets: ids stay unique per target, and nothing accumulates per sid. */
  private final AtomicLong ackIds = new AtomicLong();

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private long sweepTimer = -1;
  private long sweeps;

  /** A call waiting for its callback. */
  private record Pending(
      String sid, long deadlineNanos, Duration timeout, CompletableFuture<List<JsonNode>> answer) {}

  @Inject
  public ClusterCalls(ClusterBus bus, SessionPool sessions, Vertx vertx, ReplicaId replica) {
    this(bus, sessions, vertx, replica.value());
  }

  ClusterCalls(ClusterBus bus, SessionPool sessions, Vertx vertx, String hostId) {
    this.bus = bus;
    this.sessions = sessions;
    this.vertx = vertx;
    this.hostId = hostId;
  }

  @PostConstruct
  void start() {
    sweepTimer = vertx.setPeriodic(SWEEP.toMillis(), id -> sweep());
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(sweepTimer);
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
    pending.put(key, new Pending(sid, System.nanoTime() + timeout.toNanos(), timeout, answer));
    ClusterMessage.Emit emit =
        new ClusterMessage.Emit(
            event,
            List.of(data),
            SocketPacket.MAIN_NAMESPACE,
            List.of(sid),
            List.of(),
            new ClusterMessage.CallbackTarget(sid, SocketPacket.MAIN_NAMESPACE, id),
            hostId);
    return bus.publish(emit)
        .chain(() -> Uni.createFrom().completionStage(answer))
        .onTermination()
        .invoke(() -> pending.remove(key));
  }

  /** A callback for this host arrived. Unknown ids (a call that already ended) are ignored. */
  void complete(ClusterMessage.Callback callback) {
    Pending call = pending.remove(callback.sid() + "#" + callback.id());
    if (call != null) {
      call.answer().complete(callback.args());
    }
  }

  @Override
  public void disconnect(String sid) {
    bus.publishOrLog(new ClusterMessage.Disconnect(sid, SocketPacket.MAIN_NAMESPACE, hostId));
  }

  /** Ends the calls past their deadline and, every second, those whose session is gone. */
  private void sweep() {
    if (pending.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    pending.forEach(
        (key, call) -> {
          if (now - call.deadlineNanos() >= 0 && pending.remove(key, call)) {
            call.answer()
                .completeExceptionally(new CallTimeoutException(call.sid(), call.timeout()));
          }
        });
    if (++sweeps % POOL_CHECK_EVERY != 0) {
      return;
    }
    Set<String> waitingOn = pending.values().stream().map(Pending::sid).collect(Collectors.toSet());
    for (String sid : waitingOn) {
      sessions
          .get(sid)
          .subscribe()
          .with(
              entry -> {
                if (entry.isEmpty()) {
                  failCallsTo(sid);
                }
              },
              failure -> {});
    }
  }

  private void failCallsTo(String sid) {
    pending.forEach(
        (key, call) -> {
          if (call.sid().equals(sid) && pending.remove(key, call)) {
            call.answer().completeExceptionally(new SessionDisconnectedException(sid));
          }
        });
  }
}
