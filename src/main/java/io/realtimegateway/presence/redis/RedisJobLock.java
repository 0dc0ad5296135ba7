package io.realtimegateway.presence.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.realtimegateway.job.JobLock;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Open WebUI's cleanup locks ({@code SET key <owner> NX}, owner-checked renewal), taken or renewed
 * in one atomic script. Python instances and gateway replicas exclude each other on the same key.
 */
public final class RedisJobLock implements JobLock {

  private static final String HOLD =
      "local owner = redis.call('GET', KEYS[1]) "
          + "if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end "
          + "if not owner then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
          + "return 0";

  private final ReactiveRedisDataSource redis;
  private final RedisKeys keys;
  private final String owner;

  public RedisJobLock(ReactiveRedisDataSource redis, RedisKeys keys, String owner) {
    this.redis = redis;
    this.keys = keys;
    this.owner = owner;
  }

  @Override
  public Uni<Boolean> hold(String name, Duration ttl) {
    return redis
        .execute("EVAL", HOLD, "1", keys.lock(name), owner, Long.toString(ttl.toMillis()))
        .map(response -> response != null && response.toInteger() == 1);
  }
}
