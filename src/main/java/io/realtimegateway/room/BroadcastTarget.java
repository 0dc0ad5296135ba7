package io.realtimegateway.room;

import java.util.Set;

/**
 * Who receives a broadcast.
 *
 * @param rooms sockets in any of these rooms; empty means every socket of the namespace
 * @param except sockets in any of these rooms are left out (a sid is its own room)
 */
public record BroadcastTarget(Set<String> rooms, Set<String> except) {

  public BroadcastTarget {
    rooms = Set.copyOf(rooms);
    except = Set.copyOf(except);
  }

  public static BroadcastTarget toRooms(Set<String> rooms) {
    return new BroadcastTarget(rooms, Set.of());
  }

  public static BroadcastTarget everyone() {
    return new BroadcastTarget(Set.of(), Set.of());
  }
}
