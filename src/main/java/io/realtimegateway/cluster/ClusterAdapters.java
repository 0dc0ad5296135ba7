package io.realtimegateway.cluster;

import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.room.LocalSockets;
import io.realtimegateway.room.RoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster adapters of this replica's namespaces, and where the bus hands other hosts' messages:
 * each goes to the adapter of its namespace, a callback to the pending calls, room members to the
 * pending room queries. Messages this host published come back and are ignored. Listens from
 * construction until shutdown.
 */
@Singleton
@Typed(ClusterAdapters.class)
public final class ClusterAdapters implements RoomAdapterFactory, ClusterReceiver {

  private final ClusterBus bus;
  private final ClusterCalls calls;
  private final ClusterRoomQueries queries;
  private final String hostId;
  private final Duration longestCall;
  private final Map<String, ClusterRoomAdapter> adapters = new ConcurrentHashMap<>();

  @Inject
  public ClusterAdapters(
      ClusterBus bus,
      ClusterCalls calls,
      ClusterRoomQueries queries,
      ReplicaId replica,
      GatewayConfig config) {
    this(bus, calls, queries, replica.value(), config.caller().maxTimeout());
  }

  ClusterAdapters(
      ClusterBus bus,
      ClusterCalls calls,
      ClusterRoomQueries queries,
      String hostId,
      Duration longestCall) {
    this.bus = bus;
    this.calls = calls;
    this.queries = queries;
    this.hostId = hostId;
    this.longestCall = longestCall;
  }

  @Override
  public RoomAdapter create(String namespace, LocalSockets sockets) {
    ClusterRoomAdapter adapter =
        new ClusterRoomAdapter(namespace, sockets, bus, hostId, queries, longestCall);
    adapters.put(namespace, adapter);
    return adapter;
  }

  @PostConstruct
  void start() {
    Log.infof("replica %s joins the fleet", hostId);
    bus.start(this);
  }

  @PreDestroy
  void stop() {
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
        queries.answer(members);
      }
      return;
    }
    ClusterRoomAdapter adapter = adapters.get(namespaceOf(message));
    if (adapter != null) {
      adapter.receive(message);
    }
  }

  private static String namespaceOf(ClusterMessage message) {
    if (message instanceof ClusterMessage.Emit emit) {
      return emit.namespace();
    } else if (message instanceof ClusterMessage.Disconnect disconnect) {
      return disconnect.namespace();
    } else if (message instanceof ClusterMessage.EnterRoom enter) {
      return enter.namespace();
    } else if (message instanceof ClusterMessage.LeaveRoom leave) {
      return leave.namespace();
    } else if (message instanceof ClusterMessage.CloseRoom close) {
      return close.namespace();
    } else if (message instanceof ClusterMessage.FetchRoom fetch) {
      return fetch.namespace();
    }
    return null;
  }
}
