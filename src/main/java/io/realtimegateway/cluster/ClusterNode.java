package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.room.InMemoryRoomAdapter;
import io.realtimegateway.room.PacketSink;
import io.realtimegateway.room.RoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketServer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This replica as a member of the fleet: its {@code host_id}, the cluster adapters of its
 * namespaces, and what it does with the messages other hosts publish.
 */
public final class ClusterNode implements RoomAdapterFactory, ClusterReceiver {

  private final String hostId;
  private final ClusterBus bus;
  private final ClusterCalls calls;
  private final ClusterRoomQueries roomQueries;
  private final Supplier<SocketServer> server;
  private final GatewayConfig.Caller callerConfig;
  private final Map<String, ClusterRoomAdapter> adapters = new ConcurrentHashMap<>();

  /**
   * @param server looked up lazily: the socket server is built with this node's adapters
   */
  public ClusterNode(
      String hostId,
      ClusterBus bus,
      ClusterCalls calls,
      ClusterRoomQueries roomQueries,
      Supplier<SocketServer> server,
      GatewayConfig.Caller callerConfig) {
    this.hostId = hostId;
    this.bus = bus;
    this.calls = calls;
    this.roomQueries = roomQueries;
    this.server = server;
    this.callerConfig = callerConfig;
  }

  /** A new python-socketio {@code host_id}: 32 hex characters, new at every start. */
  public static String newHostId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  public String hostId() {
    return hostId;
  }

  @Override
  public RoomAdapter create(String namespace, PacketSink localSockets) {
    ClusterRoomAdapter adapter =
        new ClusterRoomAdapter(
            namespace, new InMemoryRoomAdapter(localSockets), bus, hostId, roomQueries);
    adapters.put(namespace, adapter);
    return adapter;
  }

  /** Subscribes; messages flow from now on. */
  public void start() {
    bus.start(this);
  }

  public void stop() {
    bus.stop();
  }

  @Override
  public boolean hasLocalMembers(String namespace, String room) {
    ClusterRoomAdapter adapter = adapters.get(namespace);
    return adapter != null && adapter.hasLocalMembers(room);
  }

  @Override
  public void receive(ClusterMessage message) {
    if (message instanceof ClusterMessage.Callback callback) {
      if (hostId.equals(callback.hostId())) {
        calls.complete(callback);
      }
      return;
    }
    if (hostId.equals(message.hostId())) {
      return;
    }
    if (message instanceof ClusterMessage.RoomMembers members) {
      if (hostId.equals(members.requesterId())) {
        roomQueries.answer(members);
      }
    } else if (message instanceof ClusterMessage.FetchRoom fetch) {
      ClusterRoomAdapter adapter = adapters.get(fetch.namespace());
      List<String> sids =
          adapter == null ? List.of() : List.copyOf(adapter.local().sids(fetch.room()));
      bus.publishOrLog(
          new ClusterMessage.RoomMembers(fetch.requestId(), fetch.hostId(), sids, hostId));
    } else if (message instanceof ClusterMessage.Emit emit) {
      receiveEmit(emit);
    } else if (message instanceof ClusterMessage.Disconnect disconnect) {
      localSocket(disconnect.sid(), disconnect.namespace())
          .ifPresent(socket -> server.get().disconnect(socket));
    } else if (message instanceof ClusterMessage.EnterRoom enter) {
      localSocket(enter.sid(), enter.namespace())
          .ifPresent(
              socket -> adapters.get(enter.namespace()).join(socket.id(), Set.of(enter.room())));
    } else if (message instanceof ClusterMessage.LeaveRoom leave) {
      localSocket(leave.sid(), leave.namespace())
          .ifPresent(socket -> adapters.get(leave.namespace()).leave(socket.id(), leave.room()));
    } else if (message instanceof ClusterMessage.CloseRoom close) {
      ClusterRoomAdapter adapter = adapters.get(close.namespace());
      if (adapter != null) {
        adapter.local().closeRoom(close.room());
      }
    }
  }

  private void receiveEmit(ClusterMessage.Emit emit) {
    ClusterRoomAdapter adapter = adapters.get(emit.namespace());
    if (adapter == null) {
      return;
    }
    JsonNode[] args = emit.args().toArray(JsonNode[]::new);
    if (emit.callback() == null) {
      adapter.deliverLocally(
          SocketPacket.event(emit.namespace(), emit.event(), null, args),
          new BroadcastTarget(
              emit.rooms() == null ? Set.of() : new HashSet<>(emit.rooms()),
              emit.skipSids() == null ? Set.of() : new HashSet<>(emit.skipSids())));
      return;
    }
    // A call: every local socket the emit selects answers through its own ack id, and the
    // answer goes back to the calling host as a callback message.
    Set<String> targets = new HashSet<>();
    if (emit.rooms() != null) {
      emit.rooms().forEach(room -> targets.addAll(adapter.sids(room)));
    }
    if (emit.skipSids() != null) {
      emit.skipSids().forEach(room -> targets.removeAll(adapter.sids(room)));
    }
    for (String sid : targets) {
      localSocket(sid, emit.namespace())
          .ifPresent(
              socket ->
                  socket
                      .emitWithAck(emit.event(), callerConfig.maxTimeout(), args)
                      .thenAccept(answer -> returnCallback(emit, answer))
                      .exceptionally(
                          failure -> {
                            Log.debugf(
                                "call %s for %s ended unanswered: %s",
                                emit.callback().id(), sid, failure.toString());
                            return null;
                          }));
    }
  }

  private void returnCallback(ClusterMessage.Emit emit, List<JsonNode> answer) {
    ClusterMessage.CallbackTarget target = emit.callback();
    bus.publishOrLog(
        new ClusterMessage.Callback(
            emit.hostId(), target.sid(), target.namespace(), target.id(), answer));
  }

  private Optional<Socket> localSocket(String sid, String namespace) {
    return server.get().namespace(namespace).flatMap(ns -> ns.socket(sid));
  }
}
