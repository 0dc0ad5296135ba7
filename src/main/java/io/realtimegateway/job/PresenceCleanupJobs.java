package io.realtimegateway.job;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Keeps the pools from growing: drops usage entries idle for {@code usage-idle-timeout} and session
 * entries not seen for {@code session-timeout}. A run that fails is logged and the next run happens
 * as scheduled; the jobs never stop for good (unlike Open WebUI's loops).
 */
@ApplicationScoped
public class PresenceCleanupJobs {

  /** Open WebUI's lock names, so its Python instances and the gateway share the work. */
  static final String USAGE_LOCK = "usage_cleanup_lock";

  static final String SESSION_LOCK = "session_cleanup_lock";

  private final SessionPool sessions;
  private final UsagePool usage;
  private final JobLock lock;
  private final GatewayConfig.Jobs config;
  private final Duration lockTimeout;

  public PresenceCleanupJobs(
      SessionPool sessions, UsagePool usage, JobLock lock, GatewayConfig config) {
    this.sessions = sessions;
    this.usage = usage;
    this.lock = lock;
    this.config = config.jobs();
    this.lockTimeout = config.cluster().lockTimeout();
  }

  @Scheduled(
      identity = "usage-pool-cleanup",
      every = "${gateway.jobs.usage-cleanup-interval:3s}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> cleanUsagePool() {
    long cutoff = Instant.now().getEpochSecond() - config.usageIdleTimeout().toSeconds();
    return whileHolding(
            USAGE_LOCK, config.usageCleanupInterval(), () -> usage.removeUpdatedBefore(cutoff))
        .invoke(removed -> logRemoved("usage", removed))
        .onFailure()
        .recoverWithItem(failure -> logFailure("usage-pool-cleanup", failure))
        .replaceWithVoid();
  }

  @Scheduled(
      identity = "session-pool-reaper",
      every = "${gateway.jobs.session-reap-interval:120s}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> reapSessionPool() {
    long cutoff = Instant.now().getEpochSecond() - config.sessionTimeout().toSeconds();
    return whileHolding(
            SESSION_LOCK, config.sessionReapInterval(), () -> sessions.removeSeenBefore(cutoff))
        .invoke(removed -> logRemoved("session", removed))
        .onFailure()
        .recoverWithItem(failure -> logFailure("session-pool-reaper", failure))
        .replaceWithVoid();
  }

  /**
   * Runs the work when this replica holds the job's lock. The lock outlives two intervals, so the
   * holder renews it before it can expire (Open WebUI's 60 s lock expired during its 120 s sleep);
   * a replica without it simply tries again next interval.
   */
  private Uni<Integer> whileHolding(String name, Duration interval, Supplier<Uni<Integer>> work) {
    Duration doubled = interval.multipliedBy(2);
    Duration ttl = doubled.compareTo(lockTimeout) > 0 ? doubled : lockTimeout;
    return Uni.createFrom()
        .deferred(() -> lock.hold(name, ttl))
        .chain(held -> held ? Uni.createFrom().deferred(work::get) : Uni.createFrom().item(0));
  }

  private static void logRemoved(String pool, int removed) {
    if (removed > 0) {
      Log.debugf("%s pool cleanup removed %d entries", pool, removed);
    }
  }

  private static int logFailure(String job, Throwable failure) {
    Log.warnf("%s failed, it runs again at its next interval: %s", job, failure.toString());
    return 0;
  }
}
