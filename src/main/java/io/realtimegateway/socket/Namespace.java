package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import io.realtimegateway.room.LocalSockets;
import io.realtimegateway.room.RoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A Socket.IO namespace: its connected local sockets and its room adapter, which reaches those
 * sockets through this namespace.
 */
public final class Namespace implements LocalSockets {

  private final String name;
  private final RoomAdapter rooms;
  private final Consumer<Socket> serverDisconnect;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  private final LongAdder deliveries;

  Namespace(
      String name,
      RoomAdapterFactory roomAdapters,
      Consumer<Socket> serverDisconnect,
      LongAdder deliveries) {
    this.name = name;
    this.serverDisconnect = serverDisconnect;
    this.deliveries = deliveries;
    this.rooms = roomAdapters.create(name, this);
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

  /**
   * The Engine.IO packets are made once for every recipient of the broadcast, and the deliveries
   * counted once for all of them.
   */
  @Override
  public void deliver(List<String> sids, EncodedSocketPacket packet) {
    Socket.Frames frames = Socket.Frames.of(packet);
    int delivered = 0;
    for (String sid : sids) {
      Socket socket = sockets.get(sid);
      if (socket != null) {
        socket.send(frames);
        delivered++;
      }
    }
    deliveries.add(delivered);
  }

  @Override
  public void join(String sid, Set<String> joined) {
    socket(sid).ifPresent(socket -> socket.join(joined));
  }

  @Override
  public void leave(String sid, String room) {
    socket(sid).ifPresent(socket -> socket.leave(room));
  }

  @Override
  public void disconnect(String sid) {
    socket(sid).ifPresent(serverDisconnect);
  }

  @Override
  public CompletableFuture<List<JsonNode>> call(
      String sid, String event, List<JsonNode> args, Duration timeout) {
    Socket socket = sockets.get(sid);
    if (socket == null) {
      return CompletableFuture.failedFuture(new SessionDisconnectedException(sid));
    }
    return socket.emitWithAck(event, timeout, args.toArray(JsonNode[]::new));
  }

  void add(Socket socket) {
    sockets.put(socket.id(), socket);
  }

  void remove(Socket socket) {
    sockets.remove(socket.id());
  }
}
