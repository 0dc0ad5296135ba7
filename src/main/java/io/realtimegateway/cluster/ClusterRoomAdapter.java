package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.protocol.socket.RawJson;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.room.InMemoryRoomAdapter;
import io.realtimegateway.room.LocalSockets;
import io.realtimegateway.room.RoomAdapter;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decorates the in-memory adapter of a namespace, as socket.io's cluster adapter does: a broadcast
 * is delivered to the local sockets first, then published for the other replicas; what other hosts
 * publish for this namespace comes back here and is applied to the local sockets. A failed publish
 * still delivers locally. The in-memory delegate stays private.
 */
public final class ClusterRoomAdapter implements RoomAdapter {

  private final String namespace;
  private final LocalSockets sockets;
  private final InMemoryRoomAdapter local;
  private final ClusterBus bus;
  private final String hostId;
  private final ClusterRoomQueries queries;
  private final Duration longestCall;

  /**
   * @param longestCall how long a socket here may take to answer another host's call; the caller's
   *     own timeout ends the call on its side
   */
  ClusterRoomAdapter(
      String namespace,
      LocalSockets sockets,
      ClusterBus bus,
      String hostId,
      ClusterRoomQueries queries,
      Duration longestCall) {
    this.namespace = namespace;
    this.sockets = sockets;
    this.local = new InMemoryRoomAdapter(sockets);
    this.bus = bus;
    this.hostId = hostId;
    this.queries = queries;
    this.longestCall = longestCall;
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
      sockets.join(sid, Set.of(room));
    } else {
      bus.publishOrLog(new ClusterMessage.EnterRoom(sid, room, namespace, hostId));
    }
  }

  @Override
  public void leaveAnywhere(String sid, String room) {
    if (local.isLocal(sid)) {
      sockets.leave(sid, room);
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
    // A replica without a recipient (the one a backend posts to, often) skips encoding the packet.
    int delivered = hasRecipients(target) ? local.broadcast(packet, target) : 0;
    if (packet.isEvent() && packet.ackId() == null) {
      List<JsonNode> args = new ArrayList<>();
      for (int i = 1; i < packet.data().size(); i++) {
        args.add(packet.data().get(i));
      }
      bus.publishOrLog(
          new ClusterMessage.Emit(
              packet.eventName(),
              args,
              namespace,
              target.rooms().isEmpty() ? null : List.copyOf(target.rooms()),
              List.copyOf(target.except()),
              null,
              hostId));
    }
    return delivered;
  }

  /**
   * A backend's emit: delivered here and published with its {@code data} as the JSON text it came
   * in, never parsed into a tree on this replica.
   */
  @Override
  public int broadcastEvent(
      String namespace, String event, RawJson argument, BroadcastTarget target) {
    RawJsonArgs args = RawJsonArgs.of(argument);
    int delivered =
        hasRecipients(target)
            ? local.deliver(SocketPacketCodec.encodeEvent(namespace, event, args.json()), target)
            : 0;
    bus.publishOrLog(
        new ClusterMessage.Emit(
            event,
            args,
            this.namespace,
            target.rooms().isEmpty() ? null : List.copyOf(target.rooms()),
            List.copyOf(target.except()),
            null,
            hostId));
    return delivered;
  }

  /** Whether a room has members here: room-channel emits for other rooms are not decoded. */
  boolean hasLocalMembers(String room) {
    return local.hasMembers(room);
  }

  /** Whether a broadcast may reach a socket here (before leaving out its excluded rooms). */
  private boolean hasRecipients(BroadcastTarget target) {
    if (target.rooms().isEmpty()) {
      return local.hasSockets();
    }
    for (String room : target.rooms()) {
      if (local.hasMembers(room)) {
        return true;
      }
    }
    return false;
  }

  /** Applies another host's message for this namespace to the local sockets. */
  void receive(ClusterMessage message) {
    if (message instanceof ClusterMessage.Emit emit) {
      receiveEmit(emit);
    } else if (message instanceof ClusterMessage.Disconnect disconnect) {
      sockets.disconnect(disconnect.sid());
    } else if (message instanceof ClusterMessage.EnterRoom enter) {
      sockets.join(enter.sid(), Set.of(enter.room()));
    } else if (message instanceof ClusterMessage.LeaveRoom leave) {
      sockets.leave(leave.sid(), leave.room());
    } else if (message instanceof ClusterMessage.CloseRoom close) {
      local.closeRoom(close.room());
    } else if (message instanceof ClusterMessage.FetchRoom fetch) {
      bus.publishOrLog(
          new ClusterMessage.RoomMembers(
              fetch.requestId(), fetch.hostId(), List.copyOf(local.sids(fetch.room())), hostId));
    }
  }

  private void receiveEmit(ClusterMessage.Emit emit) {
    BroadcastTarget target =
        new BroadcastTarget(
            emit.rooms() == null ? Set.of() : new HashSet<>(emit.rooms()),
            emit.skipSids() == null ? Set.of() : new HashSet<>(emit.skipSids()));
    if (emit.callback() == null) {
      if (!hasRecipients(target)) {
        return; // its data is never parsed
      }
      if (emit.args() instanceof RawJsonArgs raw) {
        local.deliver(SocketPacketCodec.encodeEvent(namespace, emit.event(), raw.json()), target);
      } else {
        local.broadcast(
            SocketPacket.event(namespace, emit.event(), null, emit.args().toArray(JsonNode[]::new)),
            target);
      }
      return;
    }
    // A call: every local socket the emit selects answers through its own ack id, and the answer
    // goes back to the calling host as a callback message.
    Set<String> targets = new HashSet<>();
    target.rooms().forEach(room -> targets.addAll(local.sids(room)));
    target.except().forEach(room -> targets.removeAll(local.sids(room)));
    for (String sid : targets) {
      sockets
          .call(sid, emit.event(), emit.args(), longestCall)
          .whenComplete(
              (answer, failure) -> {
                if (failure != null) {
                  Log.debugf(
                      "call %s for %s ended unanswered: %s",
                      emit.callback().id(), sid, failure.toString());
                  return;
                }
                ClusterMessage.CallbackTarget callback = emit.callback();
                bus.publishOrLog(
                    new ClusterMessage.Callback(
                        emit.hostId(),
                        callback.sid(),
                        callback.namespace(),
                        callback.id(),
                        answer));
              });
    }
  }
}
