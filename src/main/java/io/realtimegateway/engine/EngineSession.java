package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EnginePacketType;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Engine.IO v4 session: sends packets through its transport, runs the PING / PONG heartbeat and
 * closes itself when the client stops answering.
 */
public final class EngineSession {

  private final String sid;
  private final EngineTransport transport;
  private final EngineListener listener;
  private final Vertx vertx;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Map<String, String> handshake;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long pingTimer = -1;
  private volatile long pongTimer = -1;

  EngineSession(
      String sid,
      EngineTransport transport,
      EngineListener listener,
      Vertx vertx,
      Duration pingInterval,
      Duration pingTimeout,
      Map<String, String> handshake) {
    this.sid = sid;
    this.transport = transport;
    this.listener = listener;
    this.vertx = vertx;
    this.pingInterval = pingInterval;
    this.pingTimeout = pingTimeout;
    this.handshake = Map.copyOf(handshake);
  }

  /** The Engine.IO session id (not the Socket.IO sid). */
  public String sid() {
    return sid;
  }

  /** Request facts of the handshake: {@code remote-address}, {@code origin}, the raw query. */
  public Map<String, String> handshake() {
    return handshake;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Sends a packet; packets for a closed session are dropped. */
  public void send(EnginePacket packet) {
    if (closed.get()) {
      return;
    }
    if (packet.isBinary()) {
      transport.sendBinary(packet.binary());
    } else {
      transport.sendText(EnginePacketCodec.encodeText(packet));
    }
  }

  /** Closes the session and its transport; the listener hears of it once. */
  public void close(String reason) {
    if (transportClosed(reason)) {
      transport.close();
    }
  }

  /** Marks the session closed after the transport went away; true the first time only. */
  boolean transportClosed(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    vertx.cancelTimer(pingTimer);
    vertx.cancelTimer(pongTimer);
    Log.debugf("engine session %s closed: %s", sid, reason);
    listener.onClose(this, reason);
    return true;
  }

  void start(String openPayload) {
    send(EnginePacket.of(EnginePacketType.OPEN, openPayload));
    listener.onOpen(this);
    schedulePing();
  }

  void receive(EnginePacket packet) {
    if (closed.get()) {
      return;
    }
    switch (packet.type()) {
      case PONG -> {
        vertx.cancelTimer(pongTimer);
        if (pongTimer != -1) {
          pongTimer = -1;
          schedulePing();
        }
      }
      case PING -> send(EnginePacket.of(EnginePacketType.PONG, packet.text()));
      case MESSAGE -> listener.onMessage(this, packet);
      case CLOSE -> close("client close");
      case NOOP -> {}
      default -> {
        Log.debugf("engine session %s sent unexpected %s packet, closing", sid, packet.type());
        close("protocol error");
      }
    }
  }

  private void schedulePing() {
    if (closed.get()) {
      return;
    }
    pingTimer =
        vertx.setTimer(
            pingInterval.toMillis(),
            id -> {
              send(EnginePacket.of(EnginePacketType.PING));
              pongTimer = vertx.setTimer(pingTimeout.toMillis(), t -> close("ping timeout"));
            });
  }
}
