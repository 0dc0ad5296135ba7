package io.realtimegateway.presence.redis;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Keeps the shared pools from holding sessions of replicas that are gone. Each replica renews a
 * liveness key (TTL {@code node-ttl}) every third of the TTL; every replica sweeps every half TTL
 * and removes the sessions and usage entries of replicas whose key expired. Finding itself missing
 * from the replica set means Redis lost its data: the replica writes its sessions again.
 */
public final class ReplicaLiveness {

  private final ReactiveValueCommands<String, String> values;
  private final ReactiveSetCommands<String, String> sets;
  private final ReactiveKeyCommands<String> keyCommands;
  private final ReactiveRedisDataSource redis;
  private final RedisKeys keys;
  private final String nodeId;
  private final Duration ttl;
  private final RedisSessionPool sessions;
  private final RedisUsagePool usage;
  private final Vertx vertx;
  private volatile Instant lastRenewal = Instant.EPOCH;
  private volatile boolean registered;
  private long renewTimer = -1;
  private long sweepTimer = -1;

  public ReplicaLiveness(
      ReactiveRedisDataSource redis,
      RedisKeys keys,
      String nodeId,
      Duration ttl,
      RedisSessionPool sessions,
      RedisUsagePool usage,
      Vertx vertx) {
    this.redis = redis;
    this.values = redis.value(String.class);
    this.sets = redis.set(String.class);
    this.keyCommands = redis.key();
    this.keys = keys;
    this.nodeId = nodeId;
    this.ttl = ttl;
    this.sessions = sessions;
    this.usage = usage;
    this.vertx = vertx;
  }

  public void start() {
    renew();
    renewTimer = vertx.setPeriodic(Math.max(100, ttl.toMillis() / 3), id -> renew());
    sweepTimer = vertx.setPeriodic(Math.max(100, ttl.toMillis() / 2), id -> sweep());
  }

  /** Stops renewing and removes this replica's key and set (graceful shutdown). */
  public Uni<Void> stop() {
    vertx.cancelTimer(renewTimer);
    vertx.cancelTimer(sweepTimer);
    return keyCommands
        .del(keys.nodeAlive(nodeId))
        .chain(() -> sets.srem(keys.nodes(), nodeId))
        .replaceWithVoid();
  }

  /** Whether the liveness key was renewed within its TTL: Redis is reachable. */
  public boolean isHealthy() {
    return Instant.now().isBefore(lastRenewal.plus(ttl));
  }

  /** Replicas whose liveness key exists right now (this one included). */
  public Uni<Set<String>> liveNodes() {
    return sets.smembers(keys.nodes())
        .onItem()
        .transformToMulti(nodes -> Multi.createFrom().iterable(nodes))
        .onItem()
        .transformToUniAndConcatenate(
            node -> keyCommands.exists(keys.nodeAlive(node)).map(alive -> alive ? node : ""))
        .filter(node -> !node.isEmpty())
        .collect()
        .asSet();
  }

  private void renew() {
    values
        .setex(keys.nodeAlive(nodeId), Math.max(1, ttl.toSeconds()), Instant.now().toString())
        .chain(() -> sets.sadd(keys.nodes(), nodeId))
        .chain(
            added -> {
              lastRenewal = Instant.now();
              if (added == 1 && registered) {
                Log.warnf(
                    "node %s: Redis lost its data; writing this replica's sessions again", nodeId);
                return sessions.reassert();
              }
              registered = true;
              return Uni.createFrom().voidItem();
            })
        .subscribe()
        .with(
            ignored -> {},
            failure ->
                Log.debugf("node %s: liveness renewal failed: %s", nodeId, failure.toString()));
  }

  private void sweep() {
    sets.smembers(keys.nodes())
        .onItem()
        .transformToMulti(nodes -> Multi.createFrom().iterable(nodes))
        .filter(node -> !node.equals(nodeId))
        .onItem()
        .transformToUniAndConcatenate(
            node ->
                keyCommands
                    .exists(keys.nodeAlive(node))
                    .chain(alive -> alive ? Uni.createFrom().voidItem() : forget(node)))
        .collect()
        .asList()
        .subscribe()
        .with(
            ignored -> {},
            failure -> Log.debugf("node %s: sweep failed: %s", nodeId, failure.toString()));
  }

  /** Removes what a dead replica left in the shared pools. */
  private Uni<Void> forget(String deadNode) {
    return sets.smembers(keys.nodeSessions(deadNode))
        .chain(
            sids -> {
              Log.infof(
                  "node %s: replica %s is gone, removing its %d sessions",
                  nodeId, deadNode, sids.size());
              Uni<?> removeSessions =
                  sids.isEmpty()
                      ? Uni.createFrom().voidItem()
                      : redis
                          .hash(String.class)
                          .hdel(keys.sessionPool(), sids.toArray(String[]::new));
              return removeSessions
                  .chain(() -> usage.removeSessions(Set.copyOf(sids)))
                  .chain(() -> keyCommands.del(keys.nodeSessions(deadNode)))
                  .chain(() -> sets.srem(keys.nodes(), deadNode));
            })
        .replaceWithVoid();
  }
}
