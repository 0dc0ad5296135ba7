package io.realtimegateway.drain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.OpenConnections;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.CloseCode;
import io.realtimegateway.engine.EngineServer;
import io.realtimegateway.engine.EngineSession;
import io.realtimegateway.task.Tasks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The graceful drain on SIGTERM, before anything shuts down (Quarkus' pre-shutdown phase: the HTTP
 * server, Redis and the event loops still work). In order, within {@code gateway.drain.timeout}:
 *
 * <ol>
 *   <li>readiness goes DOWN and handshakes are refused, so new sessions go to other replicas;
 *   <li>no task starts, and every task running here is stopped through the normal stop path, so the
 *       tabs hear {@code chat:tasks:cancel} while they are still connected;
 *   <li>every Engine.IO session is closed with a transport close (WebSocket 1001, or the polling
 *       CLOSE packet), not a Socket.IO DISCONNECT, so socket.io-client reconnects by itself; the
 *       closes are spread over {@code gateway.drain.spread} so the reconnects do not reach the
 *       other replicas all at once. A call pending on a closed session ends as documented (404);
 *   <li>the replica leaves the shared state ({@link ReplicaDeparture}): what the pools still list
 *       of it is removed while its Redis client still works.
 * </ol>
 */
@Startup
@ApplicationScoped
public class Drain {

  private static final Duration POLL = Duration.ofMillis(20);

  /** Share of the drain time the tasks may take to end, so the sessions get the rest. */
  private static final int TASK_SHARE_PERCENT = 25;

  private final EngineServer engine;
  private final Tasks tasks;
  private final ReplicaDeparture departure;
  private final OpenConnections connections;
  private final GatewayConfig.Drain config;
  private volatile boolean draining;

  public Drain(
      EngineServer engine,
      Tasks tasks,
      ReplicaDeparture departure,
      OpenConnections connections,
      GatewayConfig config,
      MeterRegistry meters) {
    this.engine = engine;
    this.tasks = tasks;
    this.departure = departure;
    this.connections = connections;
    this.config = config.drain();
    Gauge.builder("gateway.draining", this, drain -> drain.draining ? 1 : 0)
        .description("1 while this replica drains before stopping")
        .register(meters);
  }

  /** Whether the drain has begun. */
  public boolean isDraining() {
    return draining;
  }

  /** Runs the whole drain on the shutdown thread, which may block. */
  void onShutdownRequested(@Observes ShutdownDelayInitiatedEvent event) {
    long start = System.nanoTime();
    long deadline = start + config.timeout().toNanos();
    draining = true;
    engine.refuseNewSessions();
    int taskCount = tasks.runningHere().size();
    tasks.stopAllHere();
    long taskDeadline =
        Math.min(deadline, start + config.timeout().toNanos() * TASK_SHARE_PERCENT / 100);
    waitUntil(() -> tasks.runningHere().isEmpty(), taskDeadline);

    List<EngineSession> sessions = engine.openSessions();
    closeSpread(sessions);
    // A session is gone once closed; its WebSocket only once the client answered the close frame.
    // Waiting for that keeps their close callbacks before the container stops.
    waitUntil(
        () -> engine.sessionCount() == 0 && connections.stream().findAny().isEmpty(), deadline);
    int left = engine.sessionCount();

    long remaining = Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos());
    try {
      departure.depart().await().atMost(Duration.ofNanos(remaining));
    } catch (RuntimeException e) {
      Log.warnf("drain: leaving the shared state failed: %s", e.toString());
    }
    Log.infof(
        "drained in %d ms: %d tasks stopped (%d still running), %d sessions closed (%d left)",
        Duration.ofNanos(System.nanoTime() - start).toMillis(),
        taskCount,
        tasks.runningHere().size(),
        sessions.size() - left,
        left);
  }

  /** Closes the sessions one after the other, evenly over the spread window. */
  private void closeSpread(List<EngineSession> sessions) {
    long spreadMs = config.spread().toMillis();
    int count = sessions.size();
    for (int i = 0; i < count; i++) {
      EngineSession session = sessions.get(i);
      long delay = count <= 1 ? 0 : spreadMs * i / count;
      if (delay == 0) {
        session.close("server draining", CloseCode.GOING_AWAY);
      } else {
        session.setTimer(
            Duration.ofMillis(delay), () -> session.close("server draining", CloseCode.GOING_AWAY));
      }
    }
  }

  private static void waitUntil(BooleanSupplier done, long deadlineNanos) {
    while (!done.getAsBoolean() && System.nanoTime() < deadlineNanos) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
