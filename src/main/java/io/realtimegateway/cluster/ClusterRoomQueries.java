package io.realtimegateway.cluster;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.ReplicaId;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in a room on the other gateway replicas: a {@code gateway:fetch_room} request, answered by
 * every live replica with its local members. The answer is complete when every live replica
 * answered, or after {@code timeout} with what arrived (a replica that dies mid-query is left out).
 * Sockets on Open WebUI's Python instances are not included: they keep rooms in process memory.
 */
@Singleton
public final class ClusterRoomQueries {

  private final ClusterBus bus;
  private final String hostId;
  private final LiveReplicas liveReplicas;
  private final Duration timeout;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** One query waiting for its answers. */
  private record Pending(
      Set<String> expected, Set<String> sids, CompletableFuture<Set<String>> done) {}

  @Inject
  public ClusterRoomQueries(
      ClusterBus bus, ReplicaId replica, LiveReplicas liveReplicas, GatewayConfig config) {
    this(bus, replica.value(), liveReplicas, config.cluster().roomQueryTimeout());
  }

  ClusterRoomQueries(ClusterBus bus, String hostId, LiveReplicas liveReplicas, Duration timeout) {
    this.bus = bus;
    this.hostId = hostId;
    this.liveReplicas = liveReplicas;
    this.timeout = timeout;
  }

  /** The members of a room on the other replicas. */
  public Uni<Set<String>> ask(String namespace, String room) {
    return liveReplicas
        .liveNodes()
        .chain(
            replicas -> {
              Set<String> expected = ConcurrentHashMap.newKeySet();
              expected.addAll(replicas);
              expected.remove(hostId);
              if (expected.isEmpty()) {
                return Uni.createFrom().item(Set.<String>of());
              }
              String requestId = UUID.randomUUID().toString();
              Pending query =
                  new Pending(expected, ConcurrentHashMap.newKeySet(), new CompletableFuture<>());
              pending.put(requestId, query);
              return bus.publish(new ClusterMessage.FetchRoom(requestId, room, namespace, hostId))
                  .chain(() -> Uni.createFrom().completionStage(query.done()))
                  .ifNoItem()
                  .after(timeout)
                  .recoverWithItem(() -> new HashSet<>(query.sids()))
                  .onTermination()
                  .invoke(() -> pending.remove(requestId));
            });
  }

  void answer(ClusterMessage.RoomMembers members) {
    Pending query = pending.get(members.requestId());
    if (query == null) {
      return;
    }
    query.sids().addAll(members.sids());
    query.expected().remove(members.hostId());
    if (query.expected().isEmpty()) {
      query.done().complete(new HashSet<>(query.sids()));
    }
  }
}
