package io.realtimegateway.engine;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The PING / PONG heartbeat of every session on one event loop: one periodic timer walks them and
 * lets each act when its deadline has passed. A Vert.x timer per session (re-armed after every
 * PONG) cost about 230 bytes per idle connection (BENCHMARKS.md, profiling log); here a session
 * costs two links and a deadline. A deadline is met up to one tick late, a tenth of the shorter of
 * ping interval and ping timeout, at most a second: the client allows interval plus timeout.
 *
 * <p>Only its event loop touches it: sessions join and leave on their context, the timer fires
 * there.
 */
final class Heartbeats {

  private static final long MIN_TICK_MS = 10;
  private static final long MAX_TICK_MS = 1000;

  /** First session of the list; the sessions link each other (EngineSession#heartbeatNext). */
  private EngineSession head;

  private Heartbeats() {}

  /** Starts the sweep of the calling event loop; call it there. */
  static Heartbeats start(Vertx vertx, Duration pingInterval, Duration pingTimeout) {
    Heartbeats heartbeats = new Heartbeats();
    vertx.setPeriodic(tickMs(pingInterval, pingTimeout), id -> heartbeats.tick());
    return heartbeats;
  }

  /** How often the sweep runs, in milliseconds. */
  static long tickMs(Duration pingInterval, Duration pingTimeout) {
    long shorter = Math.min(pingInterval.toMillis(), pingTimeout.toMillis());
    return Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, shorter / 10));
  }

  void add(EngineSession session) {
    session.heartbeatNext = head;
    if (head != null) {
      head.heartbeatPrevious = session;
    }
    head = session;
  }

  /** Takes a session out of the sweep; nothing when it is not in it. */
  void remove(EngineSession session) {
    EngineSession previous = session.heartbeatPrevious;
    EngineSession next = session.heartbeatNext;
    if (previous != null) {
      previous.heartbeatNext = next;
    } else if (head == session) {
      head = next;
    } else {
      return;
    }
    if (next != null) {
      next.heartbeatPrevious = previous;
    }
    session.heartbeatPrevious = null;
    session.heartbeatNext = null;
  }

  /**
   * A session may leave the list while it acts (it closes); the next one was read before. Should an
   * action take other sessions out too, the walk may end early: they are reached next tick.
   */
  private void tick() {
    long now = System.nanoTime();
    EngineSession session = head;
    while (session != null) {
      EngineSession next = session.heartbeatNext;
      session.heartbeat(now);
      session = next;
    }
  }
}
