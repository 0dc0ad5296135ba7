package io.realtimegateway.socket;

import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import io.realtimegateway.room.RoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A Socket.IO namespace: its connected local sockets and its room adapter. */
public final class Namespace {

  private final String name;
  private final RoomAdapter rooms;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();

  /** The adapter delivers to this namespace's local sockets. */
  Namespace(String name, RoomAdapterFactory roomAdapters) {
    this.name = name;
    this.rooms = roomAdapters.create(name, this::deliver);
  }

  private void deliver(String sid, EncodedSocketPacket packet) {
    Socket socket = sockets.get(sid);
    if (socket != null) {
      socket.send(packet);
    }
  }

  public String name() {
    return name;
  }

  /** Room membership and broadcast. */
  public RoomAdapter rooms() {
    return rooms;
  }

  /** A socket of this namespace connected to this process. */
  public Optional<Socket> socket(String sid) {
    return Optional.ofNullable(sockets.get(sid));
  }

  public int socketCount() {
    return sockets.size();
  }

  void add(Socket socket) {
    sockets.put(socket.id(), socket);
  }

  void remove(Socket socket) {
    sockets.remove(socket.id());
  }
}
