package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.room.InMemoryRoomAdapter;
import io.realtimegateway.room.RoomAdapter;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decorates the in-memory adapter of a namespace: a broadcast is delivered to the local sockets
 * first, then published for the other replicas. A failed publish still delivers locally.
 */
public final class ClusterRoomAdapter implements RoomAdapter {

  private final String namespace;
  private final InMemoryRoomAdapter local;
  private final ClusterBus bus;
  private final String hostId;
  private final ClusterRoomQueries queries;

  public ClusterRoomAdapter(
      String namespace,
      InMemoryRoomAdapter local,
      ClusterBus bus,
      String hostId,
      ClusterRoomQueries queries) {
    this.namespace = namespace;
    this.local = local;
    this.bus = bus;
    this.hostId = hostId;
    this.queries = queries;
  }

  @Override
  public void join(String sid, Set<String> rooms) {
    local.join(sid, rooms);
  }

  @Override
  public void leave(String sid, String room) {
    local.leave(sid, room);
  }

  @Override
  public void leaveAll(String sid) {
    local.leaveAll(sid);
  }

  @Override
  public void joinAnywhere(String sid, String room) {
    if (local.isLocal(sid)) {
      local.join(sid, Set.of(room));
    } else {
      bus.publishOrLog(new ClusterMessage.EnterRoom(sid, room, namespace, hostId));
    }
  }

  @Override
  public void leaveAnywhere(String sid, String room) {
    if (local.isLocal(sid)) {
      local.leave(sid, room);
    } else {
      bus.publishOrLog(new ClusterMessage.LeaveRoom(sid, room, namespace, hostId));
    }
  }

  @Override
  public void closeRoom(String room) {
    local.closeRoom(room);
    bus.publishOrLog(new ClusterMessage.CloseRoom(room, namespace, hostId));
  }

  @Override
  public Set<String> rooms(String sid) {
    return local.rooms(sid);
  }

  @Override
  public Set<String> sids(String room) {
    return local.sids(room);
  }

  @Override
  public Uni<Set<String>> allSids(String room) {
    Set<String> own = local.sids(room);
    return queries
        .ask(namespace, room)
        .map(
            remote -> {
              Set<String> all = new HashSet<>(own);
              all.addAll(remote);
              return all;
            });
  }

  @Override
  public int broadcast(SocketPacket packet, BroadcastTarget target) {
    int delivered = local.broadcast(packet, target);
    if (packet.isEvent() && packet.ackId() == null) {
      List<JsonNode> args = new ArrayList<>();
      for (int i = 1; i < packet.data().size(); i++) {
        args.add(packet.data().get(i));
      }
      ClusterMessage.Emit emit =
          new ClusterMessage.Emit(
              packet.eventName(),
              args,
              namespace,
              target.rooms().isEmpty() ? null : List.copyOf(target.rooms()),
              List.copyOf(target.except()),
              null,
              hostId);
      bus.publishOrLog(emit);
    }
    return delivered;
  }

  /** Delivers another host's emit to the local sockets only. */
  void deliverLocally(SocketPacket packet, BroadcastTarget target) {
    local.broadcast(packet, target);
  }

  boolean hasLocalMembers(String room) {
    return !local.sids(room).isEmpty();
  }

  InMemoryRoomAdapter local() {
    return local;
  }
}
