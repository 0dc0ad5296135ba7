package io.realtimegateway.cluster.redis;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.cluster.LiveReplicas;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.drain.ReplicaDeparture;
import io.realtimegateway.presence.redis.RedisSessionPool;
import io.realtimegateway.presence.redis.RedisUsagePool;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisModeOff;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.redis.SharedRedis;
import io.realtimegateway.task.redis.RedisTaskRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the shared pools from holding sessions of replicas that are gone. Each replica renews a
 * liveness key (TTL {@code node-ttl}) every {@code node-heartbeat} and, in the same job, removes
 * the sessions, usage entries and tasks of replicas whose key expired. Finding itself missing from
 * the replica set means Redis lost its data: the replica writes its sessions again. Redis mode
 * only.
 */
@Singleton
@Typed({ReplicaLiveness.class, LiveReplicas.class})
public final class ReplicaLiveness implements LiveReplicas, ReplicaDeparture {

  private final ReactiveValueCommands<String, String> values;
  private final ReactiveSetCommands<String, String> sets;
  private final ReactiveKeyCommands<String> keyCommands;
  private final ReactiveRedisDataSource redis;
  private final RedisKeys keys;
  private final String nodeId;
  private final Duration ttl;
  private final RedisSessionPool sessions;
  private final RedisUsagePool usage;
  private final RedisTaskRegistry tasks;
  private final PeerAddresses peers;
  private volatile Instant lastRenewal = Instant.EPOCH;
  private volatile boolean registered;

  /** Set by the drain: this replica writes nothing to the shared state any more. */
  private volatile boolean departed;

  public ReplicaLiveness(
      @SharedRedis ReactiveRedisDataSource redis,
      GatewayConfig config,
      ReplicaId replica,
      RedisSessionPool sessions,
      RedisUsagePool usage,
      RedisTaskRegistry tasks,
      PeerAddresses peers) {
    this.redis = redis;
    this.values = redis.value(String.class);
    this.sets = redis.set(String.class);
    this.keyCommands = redis.key();
    this.keys = new RedisKeys(config.cluster().keyPrefix());
    this.nodeId = replica.value();
    this.ttl = config.cluster().nodeTtl();
    this.sessions = sessions;
    this.usage = usage;
    this.tasks = tasks;
    this.peers = peers;
  }

  /** Renews this replica's key, then cleans up after replicas whose key expired. */
  @Scheduled(
      identity = "replica-liveness",
      every = "${gateway.cluster.node-heartbeat:3s}",
      concurrentExecution = ConcurrentExecution.SKIP,
      skipExecutionIf = RedisModeOff.class)
  Uni<Void> heartbeat() {
    if (departed) {
      return Uni.createFrom().voidItem();
    }
    return renew()
        .chain(this::sweep)
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.debugf("node %s: liveness heartbeat failed: %s", nodeId, failure.toString());
              return null;
            });
  }

  /**
   * Removes everything the shared state lists of this replica, as survivors remove a dead one's
   * (its sessions, usage entries, tasks, address), and its liveness key. The drain calls it while
   * Redis still works; from then on the heartbeat writes nothing.
   */
  @Override
  public Uni<Void> depart() {
    departed = true;
    peers.leave();
    return keyCommands
        .del(keys.nodeAlive(nodeId))
        .chain(() -> forget(nodeId))
        .invoke(() -> Log.infof("node %s: left the shared state", nodeId));
  }

  /** Removes this replica's key, set entry and address (shutdown without a drain). */
  @PreDestroy
  void stop() {
    if (departed) {
      return;
    }
    keyCommands
        .del(keys.nodeAlive(nodeId))
        .chain(() -> sets.srem(keys.nodes(), nodeId))
        .chain(() -> peers.forget(nodeId))
        .await()
        .atMost(Duration.ofSeconds(2));
  }

  /** Whether the liveness key was renewed within its TTL: Redis is reachable. */
  public boolean isHealthy() {
    return Instant.now().isBefore(lastRenewal.plus(ttl));
  }

  @Override
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

  /**
   * Every replica in the replica set with the time it last renewed its liveness key (the key's
   * value); empty for one whose key expired and that no survivor has swept yet.
   */
  public Uni<Map<String, Optional<Instant>>> heartbeats() {
    return sets.smembers(keys.nodes())
        .onItem()
        .transformToMulti(nodes -> Multi.createFrom().iterable(new TreeSet<>(nodes)))
        .onItem()
        .transformToUniAndConcatenate(
            node ->
                values
                    .get(keys.nodeAlive(node))
                    .map(value -> Map.entry(node, Optional.ofNullable(value).map(Instant::parse))))
        .collect()
        .asMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  private Uni<Void> renew() {
    return values
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
            });
  }

  private Uni<Void> sweep() {
    return sets.smembers(keys.nodes())
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
        .replaceWithVoid();
  }

  /** Removes what a dead replica left in the shared pools. */
  private Uni<Void> forget(String deadNode) {
    return sets.smembers(keys.nodeSessions(deadNode))
        .chain(
            sids -> {
              Log.infof(
                  "node %s: removing the %d sessions of replica %s (gone or leaving)",
                  nodeId, sids.size(), deadNode);
              Uni<?> removeSessions =
                  sids.isEmpty()
                      ? Uni.createFrom().voidItem()
                      : redis
                          .hash(String.class)
                          .hdel(keys.sessionPool(), sids.toArray(String[]::new));
              return removeSessions
                  .chain(() -> usage.removeSessions(Set.copyOf(sids)))
                  .chain(() -> keyCommands.del(keys.nodeSessions(deadNode)))
                  .chain(() -> tasks.forgetNode(deadNode))
                  .chain(() -> peers.forget(deadNode))
                  .chain(() -> sets.srem(keys.nodes(), deadNode));
            })
        .replaceWithVoid();
  }
}
