package io.realtimegateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import io.realtimegateway.protocol.socket.RawJson;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.room.LocalSockets;
import io.realtimegateway.room.RoomAdapter;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A backend's emits with their data as JSON text (the emit API, one by one or as a batch) in Redis
 * mode: the cluster adapter still hands each to the other replicas, in order, with its own targets.
 */
class ClusterRawEmitTest {

  private static final String ROOM = "channel:general";
  private final InMemoryClusterBus broker = new InMemoryClusterBus();
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();

  @Test
  void emitsOfABatchReachEveryReplicaInOrderWithTheirOwnTargets() {
    Set<String> hosts = Set.of("a".repeat(32), "b".repeat(32));
    RoomAdapter a = replica("a".repeat(32), hosts);
    RoomAdapter b = replica("b".repeat(32), hosts);
    connect(a, "a1", ROOM);
    connect(b, "b1", ROOM);
    connect(b, "b2", ROOM);

    for (int i = 0; i < 20; i++) {
      a.broadcastEvent(
          SocketPacket.MAIN_NAMESPACE,
          "events",
          new RawJson("{\"n\":" + i + "}"),
          new BroadcastTarget(Set.of(ROOM), i % 2 == 0 ? Set.of() : Set.of("b2")));
    }

    List<String> all = new ArrayList<>();
    List<String> even = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add("2[\"events\",{\"n\":" + i + "}]");
      if (i % 2 == 0) {
        even.add("2[\"events\",{\"n\":" + i + "}]");
      }
    }
    assertThat(received.get("a1")).containsExactlyElementsOf(all);
    assertThat(received.get("b1")).containsExactlyElementsOf(all);
    assertThat(received.get("b2")).containsExactlyElementsOf(even);
  }

  private RoomAdapter replica(String hostId, Set<String> fleet) {
    ClusterBus bus = broker.connect();
    ClusterRoomQueries queries =
        new ClusterRoomQueries(
            bus, hostId, () -> Uni.createFrom().item(fleet), Duration.ofSeconds(2));
    ClusterAdapters adapters =
        new ClusterAdapters(
            bus, new ClusterCalls(bus, null, null, hostId), queries, hostId, Duration.ofMinutes(1));
    RecordingSockets sockets = new RecordingSockets();
    RoomAdapter adapter = adapters.create(SocketPacket.MAIN_NAMESPACE, sockets);
    adapters.start();
    return adapter;
  }

  /** A replica's sockets: records what each receives. */
  private final class RecordingSockets implements LocalSockets {
    @Override
    public void deliver(List<String> sids, EncodedSocketPacket packet) {
      sids.forEach(
          sid -> received.computeIfAbsent(sid, key -> new ArrayList<>()).add(packet.text()));
    }

    @Override
    public void join(String sid, Set<String> rooms) {}

    @Override
    public void leave(String sid, String room) {}

    @Override
    public void disconnect(String sid) {}

    @Override
    public CompletableFuture<List<JsonNode>> call(
        String sid, String event, List<JsonNode> args, Duration timeout) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("no calls here"));
    }
  }

  private static void connect(RoomAdapter replica, String sid, String room) {
    replica.join(sid, Set.of(sid, room));
  }
}
