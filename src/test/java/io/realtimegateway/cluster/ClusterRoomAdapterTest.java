package io.realtimegateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas over an in-memory broker: the cluster adapter delivers locally, then publishes,
 * and every other replica delivers to its own sockets exactly once. The same behaviour over a real
 * Redis, with gateway processes, is ScaleOutIT.
 */
class ClusterRoomAdapterTest {

  private static final String ROOM = "channel:general";
  private final InMemoryClusterBus broker = new InMemoryClusterBus();
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private final Map<String, ClusterAdapters> replicas = new ConcurrentHashMap<>();
  private final PythonManagerCodec codec = new PythonManagerCodec(new ObjectMapper());
  private RoomAdapter a;
  private RoomAdapter b;
  private RoomAdapter c;

  @BeforeEach
  void startThreeReplicas() {
    Set<String> hosts = Set.of("a".repeat(32), "b".repeat(32), "c".repeat(32));
    a = replica("a".repeat(32), hosts);
    b = replica("b".repeat(32), hosts);
    c = replica("c".repeat(32), hosts);
    connect(a, "a1", ROOM);
    connect(a, "a2");
    connect(b, "b1", ROOM);
    connect(b, "b2");
    connect(c, "c1", ROOM);
  }

  @Test
  void emitsWithJsonTextReachEveryReplicaInOrderWithTheirOwnTargets() {
    // A backend's emits with their data as JSON text (the emit API, one by one or as a batch).
    for (int i = 0; i < 20; i++) {
      a.broadcastEvent(
          SocketPacket.MAIN_NAMESPACE,
          "events",
          new RawJson("{\"n\":" + i + "}"),
          new BroadcastTarget(Set.of(ROOM), i % 2 == 0 ? Set.of() : Set.of("b1")));
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
    assertThat(received.get("c1")).containsExactlyElementsOf(all);
    assertThat(received.get("b1")).containsExactlyElementsOf(even);
  }

  @Test
  void anEmitToARoomReachesItsMembersOnEveryReplicaOnce() {
    int local = a.broadcast(event("hello"), new BroadcastTarget(Set.of(ROOM), Set.of()));

    assertThat(local).isEqualTo(1);
    assertThat(received).containsOnlyKeys("a1", "b1", "c1");
    assertThat(received.values()).allSatisfy(frames -> assertThat(frames).hasSize(1));
    assertThat(received.get("c1").get(0)).isEqualTo("2[\"events\",\"hello\"]");
  }

  @Test
  void skippedSessionsAreSkippedOnEveryReplica() {
    c.broadcast(event("not for b1"), new BroadcastTarget(Set.of(ROOM), Set.of("b1")));

    assertThat(received).containsOnlyKeys("a1", "c1");
  }

  @Test
  void anEmitToEveryoneReachesEverySocketOfTheFleet() {
    b.broadcast(event("all"), new BroadcastTarget(Set.of(), Set.of()));

    assertThat(received).containsOnlyKeys("a1", "a2", "b1", "b2", "c1");
  }

  @Test
  void roomMembersAreCollectedFromEveryReplica() {
    Set<String> members = b.allSids(ROOM).await().atMost(Duration.ofSeconds(5));

    assertThat(members).containsExactlyInAnyOrder("a1", "b1", "c1");
  }

  @Test
  void aSocketOnAnotherReplicaJoinsAndLeavesThroughThatReplica() {
    a.joinAnywhere("c1", "note:1");

    assertThat(c.sids("note:1")).containsExactly("c1");
    assertThat(a.sids("note:1")).isEmpty();
    a.leaveAnywhere("c1", "note:1");
    assertThat(c.sids("note:1")).isEmpty();
  }

  @Test
  void closingARoomEmptiesItOnEveryReplica() {
    b.closeRoom(ROOM);

    assertThat(a.sids(ROOM)).isEmpty();
    assertThat(b.sids(ROOM)).isEmpty();
    assertThat(c.sids(ROOM)).isEmpty();
    assertThat(a.sids("a1")).containsExactly("a1");
  }

  @Test
  void anEmitFromPythonReachesLocalMembersWithItsDataAsPublished() throws Exception {
    ClusterMessage.Emit emit = fromPython(ROOM, "[{\"from\": \"python\", \"n\": 1.50}]");

    replicas.get("a".repeat(32)).receive(emit);

    assertThat(received).containsOnlyKeys("a1");
    assertThat(received.get("a1"))
        .containsExactly("2[\"events\",{\"from\": \"python\", \"n\": 1.50}]");
    assertThat(((RawJsonArgs) emit.args()).isParsed()).isFalse();
  }

  @Test
  void aReplicaWithoutMembersInTheTargetRoomsNeitherDeliversNorParsesTheData() throws Exception {
    ClusterMessage.Emit emit = fromPython("user:elsewhere", "[{\"from\": \"python\"}]");

    replicas.get("c".repeat(32)).receive(emit);

    assertThat(received).isEmpty();
    assertThat(((RawJsonArgs) emit.args()).isParsed()).isFalse();
  }

  @Test
  void aReplicaIgnoresItsOwnEmitsWithoutParsingTheirData() throws Exception {
    String wire =
        codec.encode(
            new ClusterMessage.Emit(
                "events",
                List.of(JsonNodeFactory.instance.textNode("mine")),
                "/",
                List.of(ROOM),
                null,
                null,
                "a".repeat(32)));
    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    replicas.get("a".repeat(32)).receive(emit);

    assertThat(received).isEmpty();
    assertThat(((RawJsonArgs) emit.args()).isParsed()).isFalse();
  }

  @Test
  void aFailedPublishStillDeliversLocally() {
    broker.setDown(true);

    int local = a.broadcast(event("local only"), new BroadcastTarget(Set.of(ROOM), Set.of()));

    assertThat(local).isEqualTo(1);
    assertThat(received).containsOnlyKeys("a1");
    broker.setDown(false);
    a.broadcast(event("again"), new BroadcastTarget(Set.of(ROOM), Set.of()));
    assertThat(received).containsOnlyKeys("a1", "b1", "c1");
  }

  private RoomAdapter replica(String hostId, Set<String> fleet) {
    ClusterBus bus = broker.connect();
    ClusterRoomQueries queries =
        new ClusterRoomQueries(
            bus, hostId, () -> Uni.createFrom().item(fleet), Duration.ofSeconds(2));
    // Emits, room queries and room changes need no session pool; remote calls do (ScaleOutIT).
    ClusterAdapters adapters =
        new ClusterAdapters(
            bus, new ClusterCalls(bus, null, null, hostId), queries, hostId, Duration.ofMinutes(1));
    RecordingSockets sockets = new RecordingSockets();
    sockets.adapter = adapters.create(SocketPacket.MAIN_NAMESPACE, sockets);
    adapters.start();
    replicas.put(hostId, adapters);
    return sockets.adapter;
  }

  /**
   * A replica's sockets: records deliveries; joins and leaves act on the adapter as a connected
   * socket does, for the sockets it holds.
   */
  private final class RecordingSockets implements LocalSockets {
    private RoomAdapter adapter;

    @Override
    public void deliver(List<String> sids, EncodedSocketPacket packet) {
      sids.forEach(
          sid -> received.computeIfAbsent(sid, key -> new ArrayList<>()).add(packet.text()));
    }

    @Override
    public void join(String sid, Set<String> rooms) {
      if (!adapter.rooms(sid).isEmpty()) {
        adapter.join(sid, rooms);
      }
    }

    @Override
    public void leave(String sid, String room) {
      if (!adapter.rooms(sid).isEmpty()) {
        adapter.leave(sid, room);
      }
    }

    @Override
    public void disconnect(String sid) {
      adapter.leaveAll(sid);
    }

    @Override
    public CompletableFuture<List<JsonNode>> call(
        String sid, String event, List<JsonNode> args, Duration timeout) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("no calls here"));
    }
  }

  /** A connected socket: in its own sid room and in the given rooms. */
  private static void connect(RoomAdapter replica, String sid, String... rooms) {
    replica.join(sid, Set.of(sid));
    replica.join(sid, Set.of(rooms));
  }

  /** An emit as an Open WebUI Python instance publishes it, read by the codec. */
  private ClusterMessage.Emit fromPython(String room, String data) throws Exception {
    return (ClusterMessage.Emit)
        codec.decode(
            "{\"method\": \"emit\", \"event\": \"events\", \"data\": "
                + data
                + ", \"binary\": false, \"namespace\": \"/\", \"room\": \""
                + room
                + "\", \"skip_sid\": null, \"callback\": null, \"host_id\": \""
                + "f".repeat(32)
                + "\"}");
  }

  private static SocketPacket event(String text) {
    return SocketPacket.event(
        SocketPacket.MAIN_NAMESPACE, "events", null, JsonNodeFactory.instance.textNode(text));
  }
}
