package io.realtimegateway.job;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Keeps the pools from growing: drops usage entries idle for {@code usage-idle-timeout} and session
 * entries not seen for {@code session-timeout}. A run that fails is logged and the next run happens
 * as scheduled; the jobs never stop for good (unlike Open WebUI's loops).
 */
@ApplicationScoped
public class PresenceCleanupJobs {

  private final SessionPool sessions;
  private final UsagePool usage;
  private final GatewayConfig.Jobs config;

  public PresenceCleanupJobs(SessionPool sessions, UsagePool usage, GatewayConfig config) {
    this.sessions = sessions;
    this.usage = usage;
    this.config = config.jobs();
  }

  @Scheduled(
      identity = "usage-pool-cleanup",
      every = "${gateway.jobs.usage-cleanup-interval:3s}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> cleanUsagePool() {
    long cutoff = Instant.now().getEpochSecond() - config.usageIdleTimeout().toSeconds();
    return Uni.createFrom()
        .deferred(() -> usage.removeUpdatedBefore(cutoff))
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
    return Uni.createFrom()
        .deferred(() -> sessions.removeSeenBefore(cutoff))
        .invoke(removed -> logRemoved("session", removed))
        .onFailure()
        .recoverWithItem(failure -> logFailure("session-pool-reaper", failure))
        .replaceWithVoid();
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
