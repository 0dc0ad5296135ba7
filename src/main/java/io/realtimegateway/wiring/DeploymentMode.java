package io.realtimegateway.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.auth.RevocationCheck;
import io.realtimegateway.cluster.ClusterCalls;
import io.realtimegateway.cluster.ClusterNode;
import io.realtimegateway.cluster.ClusterRoomQueries;
import io.realtimegateway.cluster.PythonManagerCodec;
import io.realtimegateway.cluster.redis.RedisClusterBus;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.emit.RemoteSessions;
import io.realtimegateway.job.JobLock;
import io.realtimegateway.presence.InMemorySessionPool;
import io.realtimegateway.presence.InMemoryUsagePool;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.presence.redis.RedisJobLock;
import io.realtimegateway.presence.redis.RedisKeys;
import io.realtimegateway.presence.redis.RedisRevocationCheck;
import io.realtimegateway.presence.redis.RedisSessionPool;
import io.realtimegateway.presence.redis.RedisUsagePool;
import io.realtimegateway.presence.redis.ReplicaLiveness;
import io.realtimegateway.room.InMemoryRoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import io.realtimegateway.socket.SocketServer;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Picks the implementation of every mode-dependent part: all in memory by default, or Redis shared
 * with the other replicas and Open WebUI's Python instances when {@code WEBSOCKET_MANAGER=redis}.
 * The only place that knows both; Redis clients are created only in Redis mode.
 */
@Singleton
public class DeploymentMode {

  /** A replica that has not answered a room query by then is left out of the answer. */
  private static final Duration ROOM_QUERY_TIMEOUT = Duration.ofSeconds(1);

  private final GatewayConfig config;
  private final RedisParts redis;
  private final SessionPool sessions;
  private final UsagePool usage;

  /** Everything Redis mode adds, built once. */
  record RedisParts(
      ClusterNode node,
      RedisClusterBus bus,
      ClusterCalls calls,
      RedisSessionPool sessions,
      RedisUsagePool usage,
      ReplicaLiveness liveness,
      RedisJobLock lock,
      RedisRevocationCheck revocations) {}

  public DeploymentMode(
      GatewayConfig config,
      Instance<ReactiveRedisDataSource> dataSource,
      Instance<Redis> client,
      Instance<SocketServer> server,
      ObjectMapper json,
      Vertx vertx) {
    this.config = config;
    if (!config.cluster().redis()) {
      this.redis = null;
      this.sessions = new InMemorySessionPool();
      this.usage = new InMemoryUsagePool();
      return;
    }
    ReactiveRedisDataSource commands = dataSource.get();
    RedisKeys keys = new RedisKeys(config.cluster().keyPrefix());
    String hostId = ClusterNode.newHostId();
    RedisClusterBus bus =
        new RedisClusterBus(client.get(), commands, new PythonManagerCodec(json), config, vertx);
    RedisSessionPool redisSessions = new RedisSessionPool(commands, keys, hostId, json);
    RedisUsagePool redisUsage = new RedisUsagePool(commands, keys);
    ClusterCalls calls = new ClusterCalls(bus, redisSessions, vertx, () -> hostId);
    ReplicaLiveness liveness =
        new ReplicaLiveness(
            commands, keys, hostId, config.cluster().nodeTtl(), redisSessions, redisUsage, vertx);
    ClusterRoomQueries roomQueries =
        new ClusterRoomQueries(bus, () -> hostId, liveness::liveNodes, ROOM_QUERY_TIMEOUT);
    this.redis =
        new RedisParts(
            new ClusterNode(hostId, bus, calls, roomQueries, server::get, config.caller()),
            bus,
            calls,
            redisSessions,
            redisUsage,
            liveness,
            new RedisJobLock(commands, keys, hostId),
            new RedisRevocationCheck(commands, keys));
    this.sessions = redisSessions;
    this.usage = redisUsage;
  }

  /** Whether replicas share Redis. */
  public boolean isRedis() {
    return redis != null;
  }

  /** In Redis mode: subscribed and renewing the liveness key. */
  public boolean isRedisHealthy() {
    return redis == null || (redis.bus().isConnected() && redis.liveness().isHealthy());
  }

  @Produces
  @Singleton
  RoomAdapterFactory roomAdapters() {
    return redis != null
        ? redis.node()
        : (namespace, localSockets) -> new InMemoryRoomAdapter(localSockets);
  }

  @Produces
  @Singleton
  SessionPool sessionPool() {
    return sessions;
  }

  @Produces
  @Singleton
  UsagePool usagePool() {
    return usage;
  }

  @Produces
  @Singleton
  RemoteSessions remoteSessions() {
    return redis != null ? redis.calls() : RemoteSessions.NONE;
  }

  @Produces
  @Singleton
  JobLock jobLock() {
    return redis != null ? redis.lock() : JobLock.ALWAYS;
  }

  @Produces
  @Singleton
  RevocationCheck revocationCheck() {
    return redis != null ? redis.revocations() : RevocationCheck.NONE;
  }

  void start(@Observes StartupEvent event, SocketServer server) {
    if (redis == null) {
      return;
    }
    Log.infof(
        "Redis mode: node %s, key prefix %s, channel %s%s",
        redis.node().hostId(),
        config.cluster().keyPrefix(),
        config.cluster().channel(),
        config.cluster().roomChannels() ? " (+ room channels)" : "");
    redis.node().start();
    redis.liveness().start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (redis == null) {
      return;
    }
    redis.node().stop();
    redis.liveness().stop().await().atMost(Duration.ofSeconds(2));
  }
}
