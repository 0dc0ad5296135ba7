package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.CloseCode;
import io.realtimegateway.engine.EngineListener;
import io.realtimegateway.engine.EngineSession;
import io.realtimegateway.engine.SessionIds;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.socket.RawJson;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import io.realtimegateway.protocol.socket.SocketPacketDecoder;
import io.realtimegateway.protocol.socket.SocketPacketType;
import io.realtimegateway.protocol.socket.SocketProtocolException;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.room.RoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Socket.IO v5 server on top of Engine.IO sessions: namespaces, CONNECT / DISCONNECT, event
 * dispatch to {@link SocketEventHandler} beans, acknowledgements both ways, and emits. Packets of a
 * session are handled on its context; so are handler results, which may complete elsewhere.
 */
@ApplicationScoped
public class SocketServer implements EngineListener {

  private final GatewayConfig.Engine config;
  private final GatewayConfig.Limits limits;
  private final Map<String, Namespace> namespaces = new HashMap<>();
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Map<String, SocketEventHandler> handlers = new HashMap<>();
  private final List<SocketLifecycleListener> lifecycleListeners;
  private final List<UnhandledEventHandler> unhandledEventHandlers;
  private final EventMeters events;

  /**
   * Packets of broadcasts written to local sockets: every namespace adds its recipients once per
   * broadcast, and a LongAdder keeps the event loops from contending on one counter.
   */
  private final LongAdder deliveries = new LongAdder();

  public SocketServer(
      GatewayConfig config,
      RoomAdapterFactory roomAdapters,
      @Any Instance<SocketEventHandler> eventHandlers,
      @All List<SocketLifecycleListener> lifecycleListeners,
      @All List<UnhandledEventHandler> unhandledEventHandlers,
      EventMeters events,
      MeterRegistry meters) {
    this.config = config.engine();
    this.limits = config.limits();
    this.lifecycleListeners = lifecycleListeners;
    this.unhandledEventHandlers = unhandledEventHandlers;
    this.events = events;
    FunctionCounter.builder("gateway.deliveries", deliveries, LongAdder::doubleValue)
        .description("Packets of broadcasts written to sockets of this replica")
        .register(meters);
    for (String name : this.config.namespaces()) {
      namespaces.put(name, new Namespace(name, roomAdapters, this::disconnect, deliveries));
    }
    for (Instance.Handle<SocketEventHandler> handle : eventHandlers.handles()) {
      handle.getBean().getQualifiers().stream()
          .filter(SocketEvent.class::isInstance)
          .map(qualifier -> ((SocketEvent) qualifier).value())
          .forEach(
              event -> {
                if (handlers.putIfAbsent(event, handle.get()) != null) {
                  throw new IllegalStateException("two handlers for event " + event);
                }
              });
    }
    Log.debugf("socket event handlers: %s", handlers.keySet());
  }

  @Override
  public Set<String> paths() {
    return Set.of(config.path());
  }

  /** A served namespace, if any. */
  public Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  /** The main namespace {@code /}. */
  public Namespace mainNamespace() {
    return namespaces.get(SocketPacket.MAIN_NAMESPACE);
  }

  /** Number of sockets connected to this process. */
  public int socketCount() {
    return namespaces.values().stream().mapToInt(Namespace::socketCount).sum();
  }

  /**
   * Emits an event to the sockets of a namespace that the target selects.
   *
   * @return how many local sockets received it
   */
  public int broadcast(String namespace, BroadcastTarget target, String event, JsonNode... args) {
    return roomsForEmit(namespace, event)
        .broadcast(SocketPacket.event(namespace, event, null, args), target);
  }

  /**
   * Emits an event whose one argument is JSON text (a backend's {@code data}, already checked) to
   * the sockets of a namespace that the target selects; the text goes into the packet as is.
   *
   * @return how many local sockets received it
   */
  public int broadcast(String namespace, BroadcastTarget target, String event, RawJson argument) {
    return roomsForEmit(namespace, event).broadcastEvent(namespace, event, argument, target);
  }

  /** The room adapter of a served namespace, counting the event as sent. */
  private RoomAdapter roomsForEmit(String namespace, String event) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      throw new IllegalArgumentException("namespace not served: " + namespace);
    }
    events.sent(event);
    return ns.rooms();
  }

  /**
   * Disconnects a socket from the server side (it receives DISCONNECT and is not retried). Any
   * thread.
   */
  public void disconnect(Socket socket) {
    socket
        .engine()
        .execute(
            () -> {
              if (!socket.isConnected()) {
                return;
              }
              socket.send(
                  SocketPacketCodec.encode(
                      new SocketPacket(
                          SocketPacketType.DISCONNECT, socket.namespace(), null, null)));
              Client client = clients.get(socket.engine().sid());
              if (client != null) {
                client.remove(socket.namespace());
              }
              removeSocket(socket, "server namespace disconnect");
            });
  }

  @Override
  public void onOpen(EngineSession session) {
    Client client = new Client(session, new SocketPacketDecoder(config.maxAttachments()));
    clients.put(session.sid(), client);
    client.connectTimer =
        session.setTimer(
            config.connectTimeout(),
            () -> {
              if (client.sockets.isEmpty() && !session.isClosed()) {
                Log.debugf("engine session %s sent no CONNECT in time, closing", session.sid());
                session.close("connect timeout", CloseCode.NORMAL);
              }
            });
  }

  @Override
  public void onMessage(EngineSession session, EnginePacket message) {
    Client client = clients.get(session.sid());
    if (client == null) {
      return;
    }
    SocketPacket packet;
    try {
      packet =
          message.isBinary()
              ? client.decoder.decodeBinary(message.binary())
              : client.decoder.decodeText(message.text());
    } catch (SocketProtocolException e) {
      Log.debugf(
          "engine session %s sent an invalid packet (%s), closing", session.sid(), e.getMessage());
      session.close("parse error", CloseCode.POLICY_VIOLATION);
      return;
    }
    if (packet != null) {
      handle(client, packet);
    }
  }

  @Override
  public void onClose(EngineSession session, String reason) {
    Client client = clients.remove(session.sid());
    if (client == null) {
      return;
    }
    session.cancelTimer(client.connectTimer);
    Map<String, Socket> sockets = client.sockets;
    client.sockets = Map.of();
    for (Socket socket : sockets.values()) {
      removeSocket(socket, reason);
    }
  }

  private void handle(Client client, SocketPacket packet) {
    switch (packet.type()) {
      case CONNECT -> connect(client, packet);
      case DISCONNECT -> {
        Socket socket = client.remove(packet.namespace());
        if (socket != null) {
          removeSocket(socket, "client namespace disconnect");
        }
      }
      case EVENT, BINARY_EVENT -> {
        Socket socket = client.sockets.get(packet.namespace());
        if (socket != null) {
          dispatch(socket, packet);
        }
      }
      case ACK, BINARY_ACK -> {
        Socket socket = client.sockets.get(packet.namespace());
        if (socket != null && packet.ackId() != null) {
          socket.receiveAck(packet.ackId(), packet.data());
        }
      }
      default -> {
        Log.debugf("engine session %s sent %s, closing", client.session.sid(), packet.type());
        client.session.close("parse error", CloseCode.POLICY_VIOLATION);
      }
    }
  }

  private void connect(Client client, SocketPacket packet) {
    Namespace namespace = namespaces.get(packet.namespace());
    if (namespace == null) {
      ObjectNode error = JsonNodeFactory.instance.objectNode().put("message", "Invalid namespace");
      client.session.send(
          EnginePacket.message(
              SocketPacketCodec.encode(
                      new SocketPacket(
                          SocketPacketType.CONNECT_ERROR, packet.namespace(), error, null))
                  .text()));
      return;
    }
    if (client.sockets.containsKey(namespace.name())) {
      return;
    }
    JsonNode auth = packet.data() == null ? JsonNodeFactory.instance.objectNode() : packet.data();
    Socket socket =
        new Socket(SessionIds.next(), namespace.name(), client.session, namespace.rooms(), limits);
    client.add(namespace.name(), socket);
    client.session.cancelTimer(client.connectTimer);
    namespace.add(socket);
    namespace.rooms().join(socket.id(), Set.of(socket.id()));
    // Like python-socketio's always_connect: answer first, authenticate afterwards.
    socket.send(
        SocketPacketCodec.encode(
            new SocketPacket(
                SocketPacketType.CONNECT,
                namespace.name(),
                JsonNodeFactory.instance.objectNode().put("sid", socket.id()),
                null)));
    Log.debugf("socket %s connected to %s", socket.id(), namespace.name());
    for (SocketLifecycleListener listener : lifecycleListeners) {
      try {
        listener.onConnect(socket, auth);
      } catch (RuntimeException e) {
        Log.warnf(e, "connect listener failed for socket %s", socket.id());
      }
    }
  }

  private void dispatch(Socket socket, SocketPacket packet) {
    String event = packet.eventName();
    if (event == null) {
      return;
    }
    events.received(event);
    if (event.length() > limits.maxEventNameLength()) {
      Log.debugf("socket %s: event name of %d chars ignored", socket.id(), event.length());
      return;
    }
    SocketEventHandler handler = handlers.get(event);
    List<JsonNode> args = new ArrayList<>(packet.data().size() - 1);
    for (int i = 1; i < packet.data().size(); i++) {
      args.add(packet.data().get(i));
    }
    if (handler == null) {
      dispatchUnhandled(socket, event, args);
      return;
    }
    Long ackId = packet.ackId();
    try {
      handler
          .handle(socket, args)
          .subscribe()
          .with(
              ackArgs -> {
                if (ackId != null && socket.isConnected()) {
                  socket.sendAck(ackId, ackArgs == null ? List.of() : ackArgs);
                }
              },
              failure -> logHandlerFailure(socket, event, failure));
    } catch (RuntimeException e) {
      logHandlerFailure(socket, event, e);
    }
  }

  private void dispatchUnhandled(Socket socket, String event, List<JsonNode> args) {
    if (unhandledEventHandlers.isEmpty()) {
      Log.debugf("socket %s: no handler for event %s", socket.id(), event);
      return;
    }
    for (UnhandledEventHandler unhandled : unhandledEventHandlers) {
      try {
        unhandled.onEvent(socket, event, args);
      } catch (RuntimeException e) {
        logHandlerFailure(socket, event, e);
      }
    }
  }

  /** A handler that fails is a fault of the gateway or of a backend, not of the client. */
  private static void logHandlerFailure(Socket socket, String event, Throwable failure) {
    Log.warnf("socket %s: handler of %s failed: %s", socket.id(), event, failure.toString());
  }

  private void removeSocket(Socket socket, String reason) {
    if (!socket.markDisconnected()) {
      return;
    }
    namespaces.get(socket.namespace()).remove(socket);
    Log.debugf("socket %s disconnected: %s", socket.id(), reason);
    for (SocketLifecycleListener listener : lifecycleListeners) {
      try {
        listener.onDisconnect(socket, reason);
      } catch (RuntimeException e) {
        Log.warnf(e, "disconnect listener failed for socket %s", socket.id());
      }
    }
  }

  /** What one Engine.IO session carries: its decoder and one socket per joined namespace. */
  private static final class Client {
    final EngineSession session;
    final SocketPacketDecoder decoder;

    /**
     * Usually one namespace per connection; on the session's context only. Replaced on a change: an
     * immutable map of one entry is 24 bytes, a HashMap holding one was about 100.
     */
    Map<String, Socket> sockets = Map.of();

    long connectTimer = -1;

    Client(EngineSession session, SocketPacketDecoder decoder) {
      this.session = session;
      this.decoder = decoder;
    }

    void add(String namespace, Socket socket) {
      Map<String, Socket> copy = new HashMap<>(sockets);
      copy.put(namespace, socket);
      sockets = Map.copyOf(copy);
    }

    Socket remove(String namespace) {
      Socket removed = sockets.get(namespace);
      if (removed != null) {
        Map<String, Socket> copy = new HashMap<>(sockets);
        copy.remove(namespace);
        sockets = Map.copyOf(copy);
      }
      return removed;
    }
  }
}
