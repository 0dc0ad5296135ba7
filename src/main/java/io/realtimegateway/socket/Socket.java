package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.realtimegateway.engine.EngineSession;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import io.realtimegateway.protocol.socket.SocketPacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Socket.IO socket: a client connected to one namespace over an Engine.IO session. Its id is
 * the sid the browser sees as {@code socket.id}. Thread-safe.
 */
public final class Socket {

  private final String id;
  private final String namespace;
  private final EngineSession engine;
  // Sized for the few values handlers keep; the default table of 16 is most of a map's size.
  private final Map<String, Object> data = new ConcurrentHashMap<>(2);
  private final AtomicLong nextAckId = new AtomicLong();
  private final Map<Long, CompletableFuture<List<JsonNode>>> pendingAcks =
      new ConcurrentHashMap<>();
  private final AtomicBoolean connected = new AtomicBoolean(true);

  Socket(String id, String namespace, EngineSession engine) {
    this.id = id;
    this.namespace = namespace;
    this.engine = engine;
  }

  public String id() {
    return id;
  }

  public String namespace() {
    return namespace;
  }

  /** Facts of the Engine.IO handshake (remote address, origin, query). */
  public Map<String, String> handshake() {
    return engine.handshake();
  }

  /** Per-socket values that handlers share (socket.io's {@code socket.data}). */
  public Map<String, Object> data() {
    return data;
  }

  public boolean isConnected() {
    return connected.get();
  }

  /** Emits an event to this socket. */
  public void emit(String event, JsonNode... args) {
    send(SocketPacket.event(namespace, event, null, args));
  }

  /**
   * Emits an event that asks for an acknowledgement.
   *
   * @return the ack's arguments; fails with {@link CallTimeoutException} after {@code timeout}, or
   *     with {@link SessionDisconnectedException} as soon as the socket disconnects
   */
  public CompletableFuture<List<JsonNode>> emitWithAck(
      String event, Duration timeout, JsonNode... args) {
    CompletableFuture<List<JsonNode>> answer = new CompletableFuture<>();
    if (!connected.get()) {
      answer.completeExceptionally(new SessionDisconnectedException(id));
      return answer;
    }
    long ackId = nextAckId.getAndIncrement();
    pendingAcks.put(ackId, answer);
    CompletableFuture<List<JsonNode>> bounded =
        answer
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .handle(
                (result, failure) -> {
                  pendingAcks.remove(ackId);
                  if (failure instanceof TimeoutException) {
                    throw new CallTimeoutException(id, timeout);
                  }
                  if (failure != null) {
                    throw failure instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(failure);
                  }
                  return result;
                });
    send(SocketPacket.event(namespace, event, ackId, args));
    if (!connected.get()) {
      answer.completeExceptionally(new SessionDisconnectedException(id));
    }
    return bounded;
  }

  /**
   * Sends a packet already encoded (shared by every recipient of a broadcast). Synchronized so that
   * a binary packet's attachments follow its header with nothing sent in between.
   */
  public synchronized void send(EncodedSocketPacket packet) {
    engine.send(EnginePacket.message(packet.text()));
    for (byte[] attachment : packet.attachments()) {
      engine.send(EnginePacket.binaryMessage(attachment));
    }
  }

  void send(SocketPacket packet) {
    send(SocketPacketCodec.encode(packet));
  }

  void sendAck(long ackId, List<JsonNode> args) {
    ArrayNode data = SocketPacketCodec.newArray();
    args.forEach(data::add);
    send(new SocketPacket(SocketPacketType.ACK, namespace, data, ackId));
  }

  /** The client acknowledged one of our emits. Unknown ids are ignored. */
  void receiveAck(long ackId, JsonNode args) {
    CompletableFuture<List<JsonNode>> answer = pendingAcks.remove(ackId);
    if (answer != null) {
      List<JsonNode> values = new ArrayList<>(args.size());
      args.forEach(values::add);
      answer.complete(values);
    }
  }

  /** Marks the socket gone and fails every call still waiting for it. */
  boolean markDisconnected() {
    if (!connected.compareAndSet(true, false)) {
      return false;
    }
    SessionDisconnectedException gone = new SessionDisconnectedException(id);
    pendingAcks.values().forEach(answer -> answer.completeExceptionally(gone));
    pendingAcks.clear();
    return true;
  }

  /** The Engine.IO session carrying this socket. */
  EngineSession engine() {
    return engine;
  }
}
