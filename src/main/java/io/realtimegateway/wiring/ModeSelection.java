package io.realtimegateway.wiring;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.realtimegateway.auth.RevocationCheck;
import io.realtimegateway.auth.redis.RedisRevocationCheck;
import io.realtimegateway.cluster.ClusterAdapters;
import io.realtimegateway.cluster.ClusterCalls;
import io.realtimegateway.cluster.redis.PeerAddresses;
import io.realtimegateway.cluster.redis.ReplicaLiveness;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.console.Replicas;
import io.realtimegateway.console.Replicas.Replica;
import io.realtimegateway.drain.ReplicaDeparture;
import io.realtimegateway.emit.RemoteSessions;
import io.realtimegateway.engine.SessionOwners;
import io.realtimegateway.handler.DirectCompletionChannel;
import io.realtimegateway.handler.redis.RedisDirectCompletionChannel;
import io.realtimegateway.job.JobLock;
import io.realtimegateway.job.redis.RedisJobLock;
import io.realtimegateway.presence.InMemorySessionPool;
import io.realtimegateway.presence.InMemoryUsagePool;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.presence.redis.RedisSessionPool;
import io.realtimegateway.presence.redis.RedisUsagePool;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.room.InMemoryRoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import io.realtimegateway.task.InMemoryTaskRegistry;
import io.realtimegateway.task.TaskRegistry;
import io.realtimegateway.task.redis.RedisTaskCommandListener;
import io.realtimegateway.task.redis.RedisTaskRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Chooses, by {@code WEBSOCKET_MANAGER}, the implementation of each part that differs between
 * memory and Redis mode. Both kinds are CDI beans with their own life cycle; a Redis bean is only
 * created when it is chosen here, so memory mode never creates a Redis client. The only class that
 * knows both modes.
 */
@Singleton
public class ModeSelection {

  private final boolean redis;

  public ModeSelection(GatewayConfig config) {
    this.redis = config.cluster().redis();
    Log.infof(
        "%s mode (WEBSOCKET_MANAGER), key prefix %s",
        redis ? "Redis" : "memory", config.cluster().keyPrefix());
  }

  /** Created at start-up: in Redis mode this subscribes to the other replicas' messages. */
  @Produces
  @Singleton
  @Startup
  RoomAdapterFactory roomAdapters(Instance<ClusterAdapters> cluster) {
    if (redis) {
      return cluster.get();
    }
    return (namespace, sockets) -> new InMemoryRoomAdapter(sockets);
  }

  @Produces
  @Singleton
  SessionPool sessionPool(Instance<RedisSessionPool> shared, Instance<InMemorySessionPool> own) {
    return redis ? shared.get() : own.get();
  }

  @Produces
  @Singleton
  UsagePool usagePool(Instance<RedisUsagePool> shared, Instance<InMemoryUsagePool> own) {
    return redis ? shared.get() : own.get();
  }

  @Produces
  @Singleton
  RemoteSessions remoteSessions(Instance<ClusterCalls> calls) {
    return redis ? calls.get() : RemoteSessions.NONE;
  }

  @Produces
  @Singleton
  SessionOwners sessionOwners(Instance<PeerAddresses> peers) {
    return redis ? peers.get() : SessionOwners.LOCAL;
  }

  @Produces
  @Singleton
  ReplicaDeparture replicaDeparture(Instance<ReplicaLiveness> liveness) {
    return redis ? liveness.get() : ReplicaDeparture.NONE;
  }

  @Produces
  @Singleton
  JobLock jobLock(Instance<RedisJobLock> lock) {
    return redis ? lock.get() : JobLock.ALWAYS;
  }

  @Produces
  @Singleton
  RevocationCheck revocationCheck(Instance<RedisRevocationCheck> revocations) {
    return redis ? revocations.get() : RevocationCheck.NONE;
  }

  @Produces
  @Singleton
  DirectCompletionChannel directCompletions(Instance<RedisDirectCompletionChannel> channel) {
    return redis ? channel.get() : DirectCompletionChannel.NONE;
  }

  /**
   * Created at start-up: in Redis mode the task-command listener subscribes before any task runs,
   * so no stop published from then on is missed.
   */
  @Produces
  @Singleton
  @Startup
  TaskRegistry taskRegistry(
      Instance<RedisTaskRegistry> shared,
      Instance<RedisTaskCommandListener> listener,
      Instance<InMemoryTaskRegistry> own) {
    if (redis) {
      listener.get().start();
      return shared.get();
    }
    return own.get();
  }

  @Produces
  @Singleton
  Replicas replicas(Instance<ReplicaLiveness> liveness, ReplicaId self) {
    if (!redis) {
      Replica only = new Replica(self.value(), true, true, Optional.empty());
      return () -> Uni.createFrom().item(List.of(only));
    }
    ReplicaLiveness shared = liveness.get();
    return () ->
        shared
            .heartbeats()
            .map(
                heartbeats ->
                    heartbeats.entrySet().stream()
                        .map(
                            node ->
                                new Replica(
                                    node.getKey(),
                                    node.getKey().equals(self.value()),
                                    node.getValue().isPresent(),
                                    node.getValue()))
                        .toList());
  }
}
