package io.realtimegateway.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Hands Quarkus' Redis data source to the Redis-mode beans, and only to them (see {@link
 * SharedRedis}).
 */
@Singleton
public class SharedRedisProducer {

  @Produces
  @Singleton
  @SharedRedis
  ReactiveRedisDataSource sharedRedis(Instance<ReactiveRedisDataSource> quarkusRedis) {
    return quarkusRedis.get();
  }
}
