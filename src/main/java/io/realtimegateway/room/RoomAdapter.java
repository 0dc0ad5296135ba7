package io.realtimegateway.room;

import io.realtimegateway.protocol.socket.RawJson;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Room membership and broadcast of one namespace (socket.io's Adapter). The in-memory
 * implementation knows this process; a cluster implementation decorates it to reach every replica.
 */
public interface RoomAdapter {

  /**
   * Adds a local socket to rooms; a socket is always in the room named by its sid. Called by the
   * socket itself, on its context, while it is connected: so a join can never follow the {@link
   * #leaveAll} of its disconnect. Everything else joins through {@link LocalSockets#join}.
   */
  void join(String sid, Set<String> rooms);

  /** Removes a local socket from one room; called by the socket, on its context. */
  void leave(String sid, String room);

  /** Removes a local socket from every room when it disconnects; on its context. */
  void leaveAll(String sid);

  /** The rooms a socket is in. */
  Set<String> rooms(String sid);

  /**
   * Adds a socket to a room wherever it is connected: directly when it is local, through the other
   * replicas (and Open WebUI's instances) otherwise.
   */
  void joinAnywhere(String sid, String room);

  /** Removes a socket from a room wherever it is connected. */
  void leaveAnywhere(String sid, String room);

  /** Empties a room on every replica. */
  void closeRoom(String room);

  /** The sockets of this process in a room. */
  Set<String> sids(String room);

  /** The sockets in a room on every replica; this process alone for the in-memory adapter. */
  default Uni<Set<String>> allSids(String room) {
    return Uni.createFrom().item(sids(room));
  }

  /**
   * Delivers a packet to every socket the target selects. Returns how many sockets of this process
   * got it; a cluster adapter also hands it to the other replicas.
   */
  int broadcast(SocketPacket packet, BroadcastTarget target);

  /**
   * Delivers an event without ack whose one argument is JSON text (a backend's emit), like {@link
   * #broadcast}, writing the text into the packet as is.
   */
  int broadcastEvent(String namespace, String event, RawJson argument, BroadcastTarget target);
}
