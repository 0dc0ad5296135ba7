package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EnginePacketType;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One Engine.IO v4 session: sends packets through its transport, runs the PING / PONG heartbeat and
 * closes itself when the client stops answering or stops reading.
 *
 * <p>The session's state, and the state of everything built on it (its sockets, their acks and
 * rooms), has one owner: the Vert.x context of its connection. Frames arrive there; work that
 * completes elsewhere (an HTTP client, a timer, a Redis reply, a backend call) goes through {@link
 * #execute}, which hops back to it. So nothing here needs a lock, and a check-then-act such as
 * "join if still connected" cannot race with the disconnect. The one exception is the write of a
 * single frame, which {@link #send(EnginePacket)} explains.
 */
public final class EngineSession {

  private final String sid;
  private final EngineTransport transport;
  private final EngineListener listener;
  private final Consumer<EngineSession> onClosed;
  private final Context context;
  private final Thread eventLoop;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final long maxQueuedBytes;

  /** Written on the context; read anywhere (a closed session takes nothing more). */
  private volatile boolean closed;

  private long pingTimer = -1;
  private long pongTimer = -1;

  EngineSession(
      String sid,
      EngineTransport transport,
      EngineListener listener,
      Consumer<EngineSession> onClosed,
      Context context,
      Duration pingInterval,
      Duration pingTimeout,
      long maxQueuedBytes) {
    this.sid = sid;
    this.transport = transport;
    this.listener = listener;
    this.onClosed = onClosed;
    this.context = context;
    this.eventLoop = Thread.currentThread();
    this.pingInterval = pingInterval;
    this.pingTimeout = pingTimeout;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** The Engine.IO session id (not the Socket.IO sid). */
  public String sid() {
    return sid;
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Runs a task on this session's context: at once when the caller is already on its event loop,
   * else queued there. Tasks from one thread run in the order they were given.
   */
  public void execute(Runnable task) {
    if (Thread.currentThread() == eventLoop) {
      task.run();
    } else {
      context.runOnContext(ignored -> task.run());
    }
  }

  /**
   * Sets a timer that fires on this session's context. Call it on the context; the timer is the one
   * facility for heartbeats, connect timeouts and ack timeouts.
   */
  public long setTimer(Duration delay, Runnable task) {
    return context.owner().setTimer(Math.max(1, delay.toMillis()), id -> execute(task));
  }

  /** Cancels a timer of {@link #setTimer}; -1 is ignored. */
  public void cancelTimer(long timer) {
    if (timer != -1) {
      context.owner().cancelTimer(timer);
    }
  }

  /**
   * Sends a packet; packets for a closed session are dropped. Any thread, and the one exception to
   * "hop to the context first": a single frame goes to the transport from the calling thread.
   * Vert.x queues a write from another thread onto the connection's event loop and flushes that
   * queue once, where a hop first would flush every frame on its own; a room broadcast ran at half
   * the rate that way (bench/ab.sh, S3).
   */
  public void send(EnginePacket packet) {
    write(packet);
  }

  /**
   * Sends packets back to back, nothing of this session's in between (a binary Socket.IO packet's
   * attachments follow its header). Any thread.
   */
  public void send(EnginePacket first, List<EnginePacket> rest) {
    if (rest.isEmpty()) {
      write(first);
    } else {
      execute(
          () -> {
            write(first);
            rest.forEach(this::write);
          });
    }
  }

  /** Closes the session and its transport; the listener hears of it once. Any thread. */
  public void close(String reason, CloseCode code) {
    execute(
        () -> {
          if (markClosed(reason)) {
            transport.close(code);
          }
        });
  }

  /** The transport closed by itself: nothing to close any more. */
  void transportClosed(String reason) {
    markClosed(reason);
  }

  void start(String openPayload) {
    write(EnginePacket.of(EnginePacketType.OPEN, openPayload));
    listener.onOpen(this);
    schedulePing();
  }

  /** A packet from the client; on the context. */
  void receive(EnginePacket packet) {
    if (closed) {
      return;
    }
    switch (packet.type()) {
      case PONG -> {
        if (pongTimer != -1) {
          cancelTimer(pongTimer);
          pongTimer = -1;
          schedulePing();
        }
      }
      case PING -> write(EnginePacket.of(EnginePacketType.PONG, packet.text()));
      case MESSAGE -> listener.onMessage(this, packet);
      case CLOSE -> close("client close", CloseCode.NORMAL);
      case NOOP -> {}
      default -> {
        Log.debugf("engine session %s sent unexpected %s packet, closing", sid, packet.type());
        close("protocol error", CloseCode.POLICY_VIOLATION);
      }
    }
  }

  private void write(EnginePacket packet) {
    if (closed) {
      return;
    }
    if (packet.isBinary()) {
      transport.sendBinary(packet.binary());
    } else {
      transport.sendText(EnginePacketCodec.encodeText(packet));
    }
    if (transport.queuedBytes() > maxQueuedBytes) {
      Log.debugf(
          "engine session %s: %d bytes wait to be sent, over the limit: slow consumer, closing",
          sid, transport.queuedBytes());
      close("slow consumer", CloseCode.POLICY_VIOLATION);
    }
  }

  /** True the first time only; on the context. */
  private boolean markClosed(String reason) {
    if (closed) {
      return false;
    }
    closed = true;
    cancelTimer(pingTimer);
    cancelTimer(pongTimer);
    Log.debugf("engine session %s closed: %s", sid, reason);
    onClosed.accept(this);
    listener.onClose(this, reason);
    return true;
  }

  private void schedulePing() {
    if (closed) {
      return;
    }
    pingTimer =
        setTimer(
            pingInterval,
            () -> {
              write(EnginePacket.of(EnginePacketType.PING));
              pongTimer = setTimer(pingTimeout, () -> close("ping timeout", CloseCode.NORMAL));
            });
  }
}
