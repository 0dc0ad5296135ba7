package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketType;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** How often a GET waiting during an upgrade is ended (engine.io's value). */
  private static final Duration UPGRADE_HURRY_INTERVAL = Duration.ofMillis(100);

  private final String sid;

  /** The transport packets go out on; replaced on the context when an upgrade completes. */
  private volatile EngineTransport transport;

  private final EngineListener listener;
  private final Consumer<EngineSession> onClosed;
  private final Context context;
  private final Thread eventLoop;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final long maxQueuedBytes;

  /** Written on the context; read anywhere (a closed session takes nothing more). */
  private volatile boolean closed;

  /**
   * Writes from other threads that are on their way to the context. While any is, later writes from
   * other threads follow them there, so a thread's packets keep their order across an upgrade.
   */
  private final AtomicInteger hopsInFlight = new AtomicInteger();

  private long pingTimer = -1;
  private long pongTimer = -1;

  /** A WebSocket that may replace the polling transport once the client completes the probe. */
  private EngineTransport upgrade;

  private long upgradeTimer = -1;

  /** Ends GETs that wait while the upgrade completes; see {@link #hurryPolling}. */
  private long upgradeHurryTimer = -1;

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
   * the rate that way (bench/ab.sh, S3). A polling transport's queue belongs to the context, so
   * there the packet hops first.
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
      if (Thread.currentThread() != eventLoop) {
        WriteBarrier.queued(eventLoop, context);
      }
      execute(
          () -> {
            write(first);
            rest.forEach(this::write);
          });
    }
  }

  /**
   * Closes the session and its transport; the listener hears of it once. Any thread. A normal close
   * still delivers what was sent before it (a polling client takes it with its next GET).
   */
  public void close(String reason, CloseCode code) {
    execute(() -> closeNow(reason, code, code == CloseCode.NORMAL));
  }

  /** The name of the transport packets go out on: {@code polling} or {@code websocket}. */
  public String transportName() {
    return transport.name();
  }

  /** The transport closed by itself: nothing to close any more. On the context. */
  void transportClosed(EngineTransport from, String reason) {
    if (from == upgrade) {
      // The client gave up its upgrade; polling goes on.
      endUpgrade();
    } else if (from == transport && markClosed(reason)) {
      onClosed.accept(this);
    }
  }

  /** A transport of this session failed. On the context. */
  void transportFailed(EngineTransport from, String reason, CloseCode code) {
    if (from == upgrade) {
      abortUpgrade();
    } else if (from == transport) {
      closeNow(reason, code, false);
    }
  }

  /** The polling transport, while packets go out on it (also while it closes), else null. */
  PollingTransport polling() {
    return transport instanceof PollingTransport polling ? polling : null;
  }

  /**
   * A WebSocket opened with this session's sid: it replaces polling once the client sends its probe
   * and UPGRADE. On the context; false when the session cannot upgrade (closed, not polling, an
   * upgrade already under way), and the caller closes the WebSocket.
   */
  boolean offerUpgrade(EngineTransport candidate, Duration timeout) {
    if (closed || upgrade != null || polling() == null) {
      return false;
    }
    upgrade = candidate;
    upgradeTimer =
        setTimer(
            timeout,
            () -> {
              if (upgrade == candidate) {
                Log.debugf("engine session %s: upgrade timed out", sid);
                abortUpgrade();
              }
            });
    return true;
  }

  void start(String openPayload) {
    write(EnginePacket.of(EnginePacketType.OPEN, openPayload));
    listener.onOpen(this);
    schedulePing();
  }

  /**
   * A packet from the client over one of the session's transports; on the context. Packets of a
   * transport the session has left are dropped.
   */
  void receive(EngineTransport from, EnginePacket packet) {
    if (from == transport) {
      receive(packet);
    } else if (from == upgrade && !closed) {
      receiveUpgrade(packet);
    }
  }

  /**
   * The WebSocket's side of an upgrade, as engine.io runs it: PING "probe" is answered with PONG
   * "probe" and the waiting GET with a NOOP (the client pauses polling); UPGRADE switches. Packets
   * that no GET took move to the WebSocket in order, so each is delivered once.
   */
  private void receiveUpgrade(EnginePacket packet) {
    if (packet.type() == EnginePacketType.PING && "probe".equals(packet.text())) {
      upgrade.send(EnginePacket.of(EnginePacketType.PONG, "probe"));
      polling().releaseWaitingPoll();
      hurryPolling();
    } else if (packet.type() == EnginePacketType.UPGRADE) {
      EngineTransport next = upgrade;
      List<EnginePacket> left = polling().discard();
      endUpgrade();
      transport = next;
      Log.debugf("engine session %s upgraded to %s", sid, next.name());
      left.forEach(this::write);
    } else {
      Log.debugf("engine session %s sent %s during its upgrade, aborting it", sid, packet.type());
      abortUpgrade();
    }
  }

  /**
   * The client pauses polling only once it has read the probe's PONG, which comes over the
   * WebSocket. When the NOOP on its GET arrives first, it polls again, and it sends UPGRADE only
   * when that GET ends, at the next PING (25 s later). So while the upgrade is pending, a GET that
   * waits is ended with a NOOP every {@link #UPGRADE_HURRY_INTERVAL}, as engine.io does.
   */
  private void hurryPolling() {
    if (upgradeHurryTimer != -1) {
      return;
    }
    upgradeHurryTimer =
        setTimer(
            UPGRADE_HURRY_INTERVAL,
            () -> {
              upgradeHurryTimer = -1;
              PollingTransport polling = polling();
              if (upgrade != null && polling != null) {
                polling.endWaitingPoll();
                hurryPolling();
              }
            });
  }

  private void abortUpgrade() {
    EngineTransport candidate = upgrade;
    endUpgrade();
    if (candidate != null) {
      candidate.close(CloseCode.POLICY_VIOLATION, false, () -> {});
    }
  }

  private void endUpgrade() {
    upgrade = null;
    cancelTimer(upgradeTimer);
    upgradeTimer = -1;
    cancelTimer(upgradeHurryTimer);
    upgradeHurryTimer = -1;
  }

  private void receive(EnginePacket packet) {
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
      case CLOSE -> {
        PollingTransport polling = polling();
        if (polling != null) {
          polling.endWaitingPoll();
        }
        closeNow("client close", CloseCode.NORMAL, false);
      }
      case NOOP -> {}
      default -> {
        Log.debugf("engine session %s sent unexpected %s packet, closing", sid, packet.type());
        closeNow("protocol error", CloseCode.POLICY_VIOLATION, false);
      }
    }
  }

  private void write(EnginePacket packet) {
    if (closed) {
      return;
    }
    EngineTransport current = transport;
    boolean foreign = Thread.currentThread() != eventLoop;
    if (foreign) {
      // Either way the write is queued on the event loop: a hop, or Vert.x's own write queue.
      WriteBarrier.queued(eventLoop, context);
    }
    if ((!current.sendsFromAnyThread() || hopsInFlight.get() > 0) && foreign) {
      hopsInFlight.incrementAndGet();
      context.runOnContext(
          ignored -> {
            hopsInFlight.decrementAndGet();
            write(packet);
          });
      return;
    }
    current.send(packet);
    if (current.queuedBytes() > maxQueuedBytes) {
      Log.debugf(
          "engine session %s: %d bytes wait to be sent, over the limit: slow consumer, closing",
          sid, current.queuedBytes());
      close("slow consumer", CloseCode.POLICY_VIOLATION);
    }
  }

  /** On the context. */
  private void closeNow(String reason, CloseCode code, boolean flush) {
    if (markClosed(reason)) {
      abortUpgrade();
      transport.close(code, flush, () -> onClosed.accept(this));
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
              // Nobody reads what is left for a client that stopped answering: no flush.
              pongTimer =
                  setTimer(pingTimeout, () -> closeNow("ping timeout", CloseCode.NORMAL, false));
            });
  }
}
