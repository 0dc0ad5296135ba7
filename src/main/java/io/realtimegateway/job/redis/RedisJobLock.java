package io.realtimegateway.job.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.job.JobLock;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisScript;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Open WebUI's cleanup locks ({@code SET key <owner> NX}, owner-checked renewal), taken or renewed
 * in one atomic script. Python instances and gateway replicas exclude each other on the same key.
 */
@Singleton
@Typed(RedisJobLock.class)
public final class RedisJobLock implements JobLock {

  private static final RedisScript HOLD =
      new RedisScript(
          "local owner = redis.call('GET', KEYS[1]) "
              + "if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end "
              + "if not owner then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
              + "return 0");

  private final ReactiveRedisDataSource redis;
  private final RedisKeys keys;
  private final String owner;

  public RedisJobLock(
      @SharedRedis ReactiveRedisDataSource redis, GatewayConfig config, ReplicaId replica) {
    this.redis = redis;
    this.keys = new RedisKeys(config.cluster().keyPrefix());
    this.owner = replica.value();
  }

  @Override
  public Uni<Boolean> hold(String name, Duration ttl) {
    return HOLD.run(redis, List.of(keys.lock(name)), List.of(owner, Long.toString(ttl.toMillis())))
        .map(response -> response != null && response.toInteger() == 1);
  }
}
