package io.realtimegateway.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Keeps the pools from growing: drops usage entries idle for {@code usage-idle-timeout} and session
 * entries not seen for {@code session-timeout}. A run that fails is logged and the next run happens
 * as scheduled; the jobs never stop for good (unlike Open WebUI's loops).
 *
 * <p>Metrics, tag {@code name} (not {@code job}, which Prometheus sets to the scrape job): {@code
 * gateway.jobs.runs} (runs that did the work here, holding the lock) and {@code
 * gateway.jobs.failures}; tag {@code lock}: {@code gateway.jobs.lock.held}, 1 while this replica
 * holds the lock (as of its last run). Created at start-up, so that they exist before the first
 * run.
 */
@Startup
@ApplicationScoped
public class PresenceCleanupJobs {

  /** Open WebUI's lock names, so its Python instances and the gateway share the work. */
  static final String USAGE_LOCK = "usage_cleanup_lock";

  static final String SESSION_LOCK = "session_cleanup_lock";

  /** The meters of one job and of its lock. */
  private record Job(String name, String lock, Counter runs, Counter failures, AtomicInteger held) {

    static Job of(String name, String lock, MeterRegistry meters) {
      AtomicInteger held = new AtomicInteger();
      Gauge.builder("gateway.jobs.lock.held", held, AtomicInteger::get)
          .description("1 while this replica holds the cleanup lock, as of the job's last run")
          .tag("lock", lock)
          .strongReference(true)
          .register(meters);
      return new Job(
          name,
          lock,
          Counter.builder("gateway.jobs.runs")
              .description("Runs of a scheduled job that did its work on this replica")
              .tag("name", name)
              .register(meters),
          Counter.builder("gateway.jobs.failures")
              .description("Runs of a scheduled job that failed on this replica")
              .tag("name", name)
              .register(meters),
          held);
    }
  }

  private final SessionPool sessions;
  private final UsagePool usage;
  private final JobLock lock;
  private final GatewayConfig.Jobs config;
  private final Duration lockTimeout;
  private final Job usageCleanup;
  private final Job sessionReaper;

  public PresenceCleanupJobs(
      SessionPool sessions,
      UsagePool usage,
      JobLock lock,
      GatewayConfig config,
      MeterRegistry meters) {
    this.sessions = sessions;
    this.usage = usage;
    this.lock = lock;
    this.config = config.jobs();
    this.lockTimeout = config.cluster().lockTimeout();
    this.usageCleanup = Job.of("usage-pool-cleanup", USAGE_LOCK, meters);
    this.sessionReaper = Job.of("session-pool-reaper", SESSION_LOCK, meters);
  }

  @Scheduled(
      identity = "usage-pool-cleanup",
      every = "${gateway.jobs.usage-cleanup-interval:3s}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> cleanUsagePool() {
    long cutoff = Instant.now().getEpochSecond() - config.usageIdleTimeout().toSeconds();
    return whileHolding(
            usageCleanup, config.usageCleanupInterval(), () -> usage.removeUpdatedBefore(cutoff))
        .invoke(removed -> logRemoved("usage", removed))
        .onFailure()
        .recoverWithItem(failure -> logFailure(usageCleanup, failure))
        .replaceWithVoid();
  }

  @Scheduled(
      identity = "session-pool-reaper",
      every = "${gateway.jobs.session-reap-interval:120s}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> reapSessionPool() {
    long cutoff = Instant.now().getEpochSecond() - config.effectiveSessionTimeout().toSeconds();
    return whileHolding(
            sessionReaper, config.sessionReapInterval(), () -> sessions.removeSeenBefore(cutoff))
        .invoke(removed -> logRemoved("session", removed))
        .onFailure()
        .recoverWithItem(failure -> logFailure(sessionReaper, failure))
        .replaceWithVoid();
  }

  /**
   * Runs the work when this replica holds the job's lock. The lock outlives two intervals, so the
   * holder renews it before it can expire (Open WebUI's 60 s lock expired during its 120 s sleep);
   * a replica without it simply tries again next interval. A lock that cannot be checked counts as
   * not held.
   */
  private Uni<Integer> whileHolding(Job job, Duration interval, Supplier<Uni<Integer>> work) {
    Duration doubled = interval.multipliedBy(2);
    Duration ttl = doubled.compareTo(lockTimeout) > 0 ? doubled : lockTimeout;
    return Uni.createFrom()
        .deferred(() -> lock.hold(job.lock(), ttl))
        .onFailure()
        .invoke(() -> job.held().set(0))
        .chain(
            held -> {
              job.held().set(held ? 1 : 0);
              if (!held) {
                return Uni.createFrom().item(0);
              }
              job.runs().increment();
              return Uni.createFrom().deferred(work::get);
            });
  }

  private static void logRemoved(String pool, int removed) {
    if (removed > 0) {
      Log.debugf("%s pool cleanup removed %d entries", pool, removed);
    }
  }

  private static int logFailure(Job job, Throwable failure) {
    job.failures().increment();
    Log.warnf("%s failed, it runs again at its next interval: %s", job.name(), failure.toString());
    return 0;
  }
}
