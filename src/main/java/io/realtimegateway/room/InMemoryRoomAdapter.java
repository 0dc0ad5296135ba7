package io.realtimegateway.room;

import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import io.realtimegateway.protocol.socket.RawJson;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rooms of the sockets connected to this process. The tables are shared by every event loop, so
 * they are concurrent; a socket's own membership changes only on its context (see {@link
 * RoomAdapter#join}).
 */
public final class InMemoryRoomAdapter implements RoomAdapter {

  private final LocalSockets sockets;

  /**
   * The rooms of each local socket and the local members of each room; their sets are {@link
   * MemberSets}, changed only inside {@code compute}. A socket's entry stays while it is connected,
   * even with no room left: it is what {@link #isLocal} looks up.
   */
  private final Map<String, Set<String>> roomsBySid = new ConcurrentHashMap<>();

  private final Map<String, Set<String>> sidsByRoom = new ConcurrentHashMap<>();

  public InMemoryRoomAdapter(LocalSockets sockets) {
    this.sockets = sockets;
  }

  @Override
  public void join(String sid, Set<String> rooms) {
    for (String room : rooms) {
      sidsByRoom.compute(room, (key, members) -> MemberSets.plus(members, sid));
    }
    roomsBySid.compute(
        sid,
        (key, joined) -> {
          Set<String> now = joined == null ? Set.of() : joined;
          for (String room : rooms) {
            now = MemberSets.plus(now, room);
          }
          return now;
        });
  }

  @Override
  public void leave(String sid, String room) {
    roomsBySid.computeIfPresent(
        sid,
        (key, joined) -> {
          Set<String> left = MemberSets.minus(joined, room);
          return left == null ? Set.of() : left;
        });
    removeMember(room, sid);
  }

  @Override
  public void leaveAll(String sid) {
    Set<String> joined = roomsBySid.remove(sid);
    if (joined != null) {
      for (String room : joined) {
        removeMember(room, sid);
      }
    }
  }

  @Override
  public void joinAnywhere(String sid, String room) {
    sockets.join(sid, Set.of(room));
  }

  @Override
  public void leaveAnywhere(String sid, String room) {
    sockets.leave(sid, room);
  }

  @Override
  public void closeRoom(String room) {
    for (String sid : sids(room)) {
      sockets.leave(sid, room);
    }
  }

  /** Whether a socket is connected here (every local socket is in its own room). */
  public boolean isLocal(String sid) {
    return roomsBySid.containsKey(sid);
  }

  /** Whether a room has a member here, without copying its members. */
  public boolean hasMembers(String room) {
    return sidsByRoom.containsKey(room);
  }

  /** Whether any socket is connected here. */
  public boolean hasSockets() {
    return !roomsBySid.isEmpty();
  }

  @Override
  public Set<String> rooms(String sid) {
    Set<String> joined = roomsBySid.get(sid);
    return joined == null ? Set.of() : Set.copyOf(joined);
  }

  @Override
  public Set<String> sids(String room) {
    Set<String> members = sidsByRoom.get(room);
    return members == null ? Set.of() : Set.copyOf(members);
  }

  @Override
  public int broadcast(SocketPacket packet, BroadcastTarget target) {
    return deliver(SocketPacketCodec.encode(packet), target);
  }

  /** Encoded once from the JSON text, for every recipient; no tree is made. */
  @Override
  public int broadcastEvent(
      String namespace, String event, RawJson argument, BroadcastTarget target) {
    return deliver(SocketPacketCodec.encodeEvent(namespace, event, argument.asArguments()), target);
  }

  /** Delivers an already encoded packet to the local sockets the target selects. */
  public int deliver(EncodedSocketPacket packet, BroadcastTarget target) {
    Set<String> excluded = target.except().isEmpty() ? Set.of() : new HashSet<>();
    for (String room : target.except()) {
      Set<String> members = sidsByRoom.get(room);
      if (members != null) {
        excluded.addAll(members);
      }
    }
    Set<String> recipients;
    if (target.rooms().isEmpty()) {
      recipients = roomsBySid.keySet();
    } else if (target.rooms().size() == 1) {
      // The common case (a user room, a channel): walk the live member set, no copy per emit.
      recipients = sidsByRoom.getOrDefault(target.rooms().iterator().next(), Set.of());
    } else {
      recipients = new HashSet<>();
      for (String room : target.rooms()) {
        Set<String> members = sidsByRoom.get(room);
        if (members != null) {
          recipients.addAll(members);
        }
      }
    }
    List<String> selected = new ArrayList<>(recipients.size());
    for (String sid : recipients) {
      if (!excluded.contains(sid)) {
        selected.add(sid);
      }
    }
    if (!selected.isEmpty()) {
      sockets.deliver(selected, packet);
    }
    return selected.size();
  }

  private void removeMember(String room, String sid) {
    sidsByRoom.computeIfPresent(room, (key, members) -> MemberSets.minus(members, sid));
  }
}
