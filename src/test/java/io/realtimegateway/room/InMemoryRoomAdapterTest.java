package io.realtimegateway.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InMemoryRoomAdapterTest {

  private static final EncodedSocketPacket PACKET =
      new EncodedSocketPacket("2[\"message\",1]", List.of());

  private final RecordingSockets sink = new RecordingSockets();
  private final InMemoryRoomAdapter adapter = sink.adapter;

  /**
   * Records every delivery, in order; joins and leaves act on the adapter as a connected socket
   * does, and only for the sockets it knows.
   */
  private static final class RecordingSockets implements LocalSockets {
    private final List<String> sids = new ArrayList<>();
    private final List<EncodedSocketPacket> packets = new ArrayList<>();
    private final InMemoryRoomAdapter adapter = new InMemoryRoomAdapter(this);

    @Override
    public synchronized void deliver(List<String> recipients, EncodedSocketPacket packet) {
      for (String sid : recipients) {
        sids.add(sid);
        packets.add(packet);
      }
    }

    @Override
    public void join(String sid, Set<String> rooms) {
      if (adapter.isLocal(sid)) {
        adapter.join(sid, rooms);
      }
    }

    @Override
    public void leave(String sid, String room) {
      if (adapter.isLocal(sid)) {
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

    Set<String> recipients() {
      return Set.copyOf(sids);
    }
  }

  /**
   * Three sockets, each in its own room as SocketServer joins them: a and b in "chat", b and c in
   * "news".
   */
  @BeforeEach
  void connectSockets() {
    adapter.join("a", Set.of("a", "chat"));
    adapter.join("b", Set.of("b", "chat", "news"));
    adapter.join("c", Set.of("c", "news"));
  }

  @Test
  void tracksRoomsOfEachSocket() {
    assertEquals(Set.of("a", "chat"), adapter.rooms("a"));
    assertEquals(Set.of("b", "chat", "news"), adapter.rooms("b"));
    assertEquals(Set.of("c", "news"), adapter.rooms("c"));
  }

  @Test
  void tracksSocketsOfEachRoom() {
    assertEquals(Set.of("a", "b"), adapter.sids("chat"));
    assertEquals(Set.of("b", "c"), adapter.sids("news"));
    assertEquals(Set.of("a"), adapter.sids("a"));
  }

  @Test
  void knowsNothingOfUnknownSocketOrRoom() {
    assertEquals(Set.of(), adapter.rooms("unknown"));
    assertEquals(Set.of(), adapter.sids("unknown"));
  }

  @Test
  void joinsMoreRoomsLater() {
    adapter.join("a", Set.of("news", "sports"));

    assertEquals(Set.of("a", "chat", "news", "sports"), adapter.rooms("a"));
    assertEquals(Set.of("a", "b", "c"), adapter.sids("news"));
    assertEquals(Set.of("a"), adapter.sids("sports"));
  }

  @Test
  void joiningTheSameRoomTwiceKeepsOneMembership() {
    adapter.join("a", Set.of("chat"));

    assertEquals(Set.of("a", "chat"), adapter.rooms("a"));
    assertEquals(Set.of("a", "b"), adapter.sids("chat"));
    assertEquals(2, adapter.deliver(PACKET, BroadcastTarget.toRooms(Set.of("chat"))));
  }

  @Test
  void returnsSnapshotsNotLiveViews() {
    Set<String> rooms = adapter.rooms("a");
    Set<String> sids = adapter.sids("chat");

    adapter.join("a", Set.of("sports"));
    adapter.join("c", Set.of("chat"));

    assertEquals(Set.of("a", "chat"), rooms);
    assertEquals(Set.of("a", "b"), sids);
  }

  @Test
  void leavesOneRoom() {
    adapter.leave("b", "chat");

    assertEquals(Set.of("b", "news"), adapter.rooms("b"));
    assertEquals(Set.of("a"), adapter.sids("chat"));
    assertEquals(Set.of("b", "c"), adapter.sids("news"));
  }

  @Test
  void leavingRoomNotJoinedChangesNothing() {
    adapter.leave("a", "news");
    adapter.leave("unknown", "chat");

    assertEquals(Set.of("a", "chat"), adapter.rooms("a"));
    assertEquals(Set.of("b", "c"), adapter.sids("news"));
    assertEquals(Set.of("a", "b"), adapter.sids("chat"));
  }

  @Test
  void dropsRoomOnceItsLastSocketLeaves() {
    adapter.leave("a", "chat");
    adapter.leave("b", "chat");

    assertEquals(Set.of(), adapter.sids("chat"));
    assertEquals(0, adapter.deliver(PACKET, BroadcastTarget.toRooms(Set.of("chat"))));
    assertTrue(sink.sids.isEmpty());
  }

  @Test
  void leavesEveryRoomOnDisconnect() {
    adapter.leaveAll("b");

    assertEquals(Set.of(), adapter.rooms("b"));
    assertEquals(Set.of(), adapter.sids("b"));
    assertEquals(Set.of("a"), adapter.sids("chat"));
    assertEquals(Set.of("c"), adapter.sids("news"));
  }

  @Test
  void dropsRoomsOnceTheirLastSocketDisconnects() {
    adapter.leaveAll("a");
    adapter.leaveAll("b");

    assertEquals(Set.of(), adapter.sids("chat"));
    assertEquals(Set.of(), adapter.sids("a"));
    assertEquals(Set.of("c"), adapter.sids("news"));
  }

  @Test
  void leaveAllOfUnknownSocketChangesNothing() {
    adapter.leaveAll("unknown");

    assertEquals(3, adapter.deliver(PACKET, BroadcastTarget.everyone()));
  }

  @Test
  void disconnectedSocketNoLongerReceivesBroadcasts() {
    adapter.leaveAll("b");

    assertEquals(2, adapter.deliver(PACKET, BroadcastTarget.everyone()));
    assertEquals(Set.of("a", "c"), sink.recipients());
  }

  static Stream<Arguments> broadcasts() {
    return Stream.of(
        Arguments.of(Set.of(), Set.of(), Set.of("a", "b", "c")),
        Arguments.of(Set.of("chat"), Set.of(), Set.of("a", "b")),
        Arguments.of(Set.of("news"), Set.of(), Set.of("b", "c")),
        Arguments.of(Set.of("chat", "news"), Set.of(), Set.of("a", "b", "c")),
        Arguments.of(Set.of("a"), Set.of(), Set.of("a")),
        Arguments.of(Set.of("a", "c"), Set.of(), Set.of("a", "c")),
        Arguments.of(Set.of("unknown"), Set.of(), Set.of()),
        Arguments.of(Set.of(), Set.of("a"), Set.of("b", "c")),
        Arguments.of(Set.of(), Set.of("chat"), Set.of("c")),
        Arguments.of(Set.of(), Set.of("unknown"), Set.of("a", "b", "c")),
        Arguments.of(Set.of("chat"), Set.of("a"), Set.of("b")),
        Arguments.of(Set.of("chat"), Set.of("news"), Set.of("a")),
        Arguments.of(Set.of("chat", "news"), Set.of("b"), Set.of("a", "c")),
        Arguments.of(Set.of("chat"), Set.of("chat"), Set.of()),
        Arguments.of(Set.of(), Set.of("chat", "news"), Set.of()));
  }

  @ParameterizedTest
  @MethodSource("broadcasts")
  void deliversBroadcastOnceToEachSelectedSocket(
      Set<String> rooms, Set<String> except, Set<String> expected) {
    int delivered = adapter.deliver(PACKET, new BroadcastTarget(rooms, except));

    assertEquals(expected.size(), delivered);
    assertEquals(expected.size(), sink.sids.size(), "one delivery per socket: " + sink.sids);
    assertEquals(expected, sink.recipients());
    for (EncodedSocketPacket packet : sink.packets) {
      assertSame(PACKET, packet);
    }
  }

  @Test
  void deliversToSocketInTwoTargetRoomsOnce() {
    int delivered = adapter.deliver(PACKET, BroadcastTarget.toRooms(Set.of("chat", "news")));

    assertEquals(3, delivered);
    assertEquals(
        1, sink.sids.stream().filter("b"::equals).count(), "deliveries to b: " + sink.sids);
  }

  @Test
  void deliversToNobodyWhenNoSocketIsConnected() {
    InMemoryRoomAdapter empty = new RecordingSockets().adapter;

    assertEquals(0, empty.deliver(PACKET, BroadcastTarget.everyone()));
  }

  @Test
  void deliversToEveryConnectedSocketEvenOutsideAnyRoom() {
    adapter.join("d", Set.of());

    adapter.deliver(PACKET, BroadcastTarget.everyone());

    assertEquals(Set.of("a", "b", "c", "d"), sink.recipients());
  }

  @Test
  void closingARoomTakesEveryMemberOutThroughItsSocket() {
    adapter.closeRoom("chat");

    assertEquals(Set.of(), adapter.sids("chat"));
    assertEquals(Set.of("b", "news"), adapter.rooms("b"));
  }

  @Test
  void joiningASocketThatIsNotHereChangesNothing() {
    adapter.joinAnywhere("gone", "chat");

    assertEquals(Set.of("a", "b"), adapter.sids("chat"));
    assertEquals(Set.of(), adapter.rooms("gone"));
  }

  @Test
  void keepsMembershipConsistentUnderConcurrentJoinsAndLeaves() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String sid = "s" + t;
      threads.add(
          new Thread(
              () -> {
                for (int k = 0; k < 500; k++) {
                  adapter.join(sid, Set.of(sid, "shared"));
                  adapter.leave(sid, "shared");
                }
                adapter.join(sid, Set.of("shared"));
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }

    assertEquals(Set.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"), adapter.sids("shared"));
  }
}
