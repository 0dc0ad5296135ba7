package io.realtimegateway.redis;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.realtimegateway.config.GatewayConfig;
import jakarta.inject.Singleton;

/**
 * Skips a Redis-only scheduled job in memory mode, so its bean (and the Redis client it holds) is
 * never created there.
 */
@Singleton
public class RedisModeOff implements Scheduled.SkipPredicate {

  private final boolean redis;

  public RedisModeOff(GatewayConfig config) {
    this.redis = config.cluster().redis();
  }

  @Override
  public boolean test(ScheduledExecution execution) {
    return !redis;
  }
}
