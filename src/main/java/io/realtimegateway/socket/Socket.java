package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.EngineSession;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import io.realtimegateway.protocol.socket.SocketPacketType;
import io.realtimegateway.room.RoomAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One Socket.IO socket: a client connected to one namespace over an Engine.IO session. Its id is
 * the sid the browser sees as {@code socket.id}.
 *
 * <p>Its state (connected, rooms, pending acks) belongs to its session's context (see {@link
 * EngineSession}): the public methods may be called from any thread and do their work there.
 */
public final class Socket {

  private final String id;
  private final String namespace;
  private final EngineSession engine;
  private final RoomAdapter rooms;
  private final GatewayConfig.Limits limits;

  /**
   * The few values handlers keep, replaced as a whole on a change (an immutable map of one entry is
   * 24 bytes; a concurrent map holding one was 128). Read anywhere.
   */
  private volatile Map<String, Object> data = Map.of();

  /** On the context only. Created on the first call: most sockets are never called. */
  private Map<Long, PendingAck> pendingAcks;

  private long nextAckId;

  /** Written on the context; read anywhere. */
  private volatile boolean connected = true;

  /** A call waiting for its ack, and the timer that ends it. */
  private record PendingAck(CompletableFuture<List<JsonNode>> answer, long timer) {}

  Socket(
      String id,
      String namespace,
      EngineSession engine,
      RoomAdapter rooms,
      GatewayConfig.Limits limits) {
    this.id = id;
    this.namespace = namespace;
    this.engine = engine;
    this.rooms = rooms;
    this.limits = limits;
  }

  public String id() {
    return id;
  }

  public String namespace() {
    return namespace;
  }

  /** A per-socket value that handlers share (socket.io's {@code socket.data}), or null. */
  public Object data(String key) {
    return data.get(key);
  }

  /** Sets a per-socket value that handlers share; returns the one it replaced, or null. */
  public synchronized Object putData(String key, Object value) {
    Map<String, Object> copy = new HashMap<>(data);
    Object previous = copy.put(key, value);
    data = Map.copyOf(copy);
    return previous;
  }

  public boolean isConnected() {
    return connected;
  }

  /**
   * Runs tasks on this socket's context: {@code uni.emitOn(socket.context())} brings a result that
   * completed elsewhere back to where the socket's state may change.
   */
  public Executor context() {
    return engine::execute;
  }

  /** Emits an event to this socket. */
  public void emit(String event, JsonNode... args) {
    send(SocketPacketCodec.encode(SocketPacket.event(namespace, event, null, args)));
  }

  /**
   * Emits an event that asks for an acknowledgement.
   *
   * @return the ack's arguments; fails with {@link CallTimeoutException} after {@code timeout},
   *     with {@link SessionDisconnectedException} as soon as the socket disconnects, or with {@link
   *     TooManyCallsException} when the socket already has its limit of calls waiting
   */
  public CompletableFuture<List<JsonNode>> emitWithAck(
      String event, Duration timeout, JsonNode... args) {
    CompletableFuture<List<JsonNode>> answer = new CompletableFuture<>();
    engine.execute(() -> startCall(answer, event, timeout, args));
    return answer;
  }

  /** Joins rooms; nothing when the socket is gone or would pass its room limit. */
  public void join(Set<String> joined) {
    engine.execute(
        () -> {
          if (!connected) {
            return;
          }
          for (String room : joined) {
            if (room.length() > limits.maxRoomNameLength()) {
              Log.debugf("socket %s: room name of %d chars refused", id, room.length());
              return;
            }
          }
          if (rooms.rooms(id).size() + joined.size() > limits.roomsPerSocket()) {
            Log.debugf("socket %s: over %d rooms, join refused", id, limits.roomsPerSocket());
            return;
          }
          rooms.join(id, joined);
        });
  }

  /** Leaves a room; nothing when the socket is gone. */
  public void leave(String room) {
    engine.execute(
        () -> {
          if (connected) {
            rooms.leave(id, room);
          }
        });
  }

  /** The rooms this socket is in. */
  public Set<String> rooms() {
    return rooms.rooms(id);
  }

  /** Sends a packet already encoded. Any thread. */
  public void send(EncodedSocketPacket packet) {
    send(Frames.of(packet));
  }

  /** Sends the frames of a packet (shared by every recipient of a broadcast). Any thread. */
  void send(Frames frames) {
    engine.send(frames.header(), frames.attachments());
  }

  /** The Engine.IO packets of one Socket.IO packet, made once for every recipient. */
  record Frames(EnginePacket header, List<EnginePacket> attachments) {
    static Frames of(EncodedSocketPacket packet) {
      List<EnginePacket> attachments = new ArrayList<>(packet.attachments().size());
      packet.attachments().forEach(bytes -> attachments.add(EnginePacket.binaryMessage(bytes)));
      return new Frames(EnginePacket.message(packet.text()), attachments);
    }
  }

  void sendAck(long ackId, List<JsonNode> args) {
    ArrayNode data = SocketPacketCodec.newArray();
    args.forEach(data::add);
    send(SocketPacketCodec.encode(new SocketPacket(SocketPacketType.ACK, namespace, data, ackId)));
  }

  /** The client acknowledged one of our emits; on the context. Unknown ids are ignored. */
  void receiveAck(long ackId, JsonNode args) {
    PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(ackId);
    if (pending != null) {
      engine.cancelTimer(pending.timer());
      List<JsonNode> values = new ArrayList<>(args.size());
      args.forEach(values::add);
      pending.answer().complete(values);
    }
  }

  /** Marks the socket gone, leaves its rooms, fails every call still waiting; on the context. */
  boolean markDisconnected() {
    if (!connected) {
      return false;
    }
    connected = false;
    rooms.leaveAll(id);
    if (pendingAcks != null) {
      SessionDisconnectedException gone = new SessionDisconnectedException(id);
      pendingAcks.values().forEach(pending -> engine.cancelTimer(pending.timer()));
      pendingAcks.values().forEach(pending -> pending.answer().completeExceptionally(gone));
      pendingAcks = null;
    }
    return true;
  }

  /** The Engine.IO session carrying this socket. */
  EngineSession engine() {
    return engine;
  }

  private void startCall(
      CompletableFuture<List<JsonNode>> answer, String event, Duration timeout, JsonNode[] args) {
    if (!connected) {
      answer.completeExceptionally(new SessionDisconnectedException(id));
      return;
    }
    if (pendingAcks == null) {
      pendingAcks = new HashMap<>(2);
    }
    if (pendingAcks.size() >= limits.pendingCallsPerSocket()) {
      answer.completeExceptionally(new TooManyCallsException(id, limits.pendingCallsPerSocket()));
      return;
    }
    long ackId = nextAckId++;
    long timer =
        engine.setTimer(
            timeout,
            () -> {
              PendingAck expired = pendingAcks == null ? null : pendingAcks.remove(ackId);
              if (expired != null) {
                expired.answer().completeExceptionally(new CallTimeoutException(id, timeout));
              }
            });
    pendingAcks.put(ackId, new PendingAck(answer, timer));
    send(SocketPacketCodec.encode(SocketPacket.event(namespace, event, ackId, args)));
  }
}
