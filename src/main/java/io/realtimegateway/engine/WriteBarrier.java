package io.realtimegateway.engine;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells when the writes one thread queued for other event loops have been handed to their
 * connections. A write from a thread other than the connection's event loop is queued there (see
 * {@link EngineSession#send(io.realtimegateway.protocol.engine.EnginePacket)}); while a barrier is
 * open on the writing thread, each such write notes its event loop. Closing the barrier queues one
 * task on each loop noted, behind those writes (a loop runs its tasks in order), and runs the
 * callback when all of them have run.
 *
 * <p>The backend API answers an emit only then: the HTTP client's requests in flight then bound how
 * many frames can wait on the event loops, so a backend that emits as fast as it can is slowed down
 * to what the loops write instead of building a queue whose frames arrive ever later.
 */
public final class WriteBarrier {

  private static final ThreadLocal<WriteBarrier> OPEN = new ThreadLocal<>();

  /**
   * Event loop threads written to, a handful at most (one per event loop of the server), and a
   * context of each to queue the barrier's task on. Connections have contexts of their own (Quarkus
   * duplicates them), so the thread is what tells two loops apart.
   */
  private final List<Thread> threads = new ArrayList<>(4);

  private final List<Context> loops = new ArrayList<>(4);

  private WriteBarrier() {}

  /** Opens a barrier on the calling thread; close it on the same thread. */
  public static WriteBarrier open() {
    WriteBarrier barrier = new WriteBarrier();
    OPEN.set(barrier);
    return barrier;
  }

  /**
   * A write from this thread was queued on the event loop {@code thread}, which runs {@code
   * context}; noted when a barrier is open.
   */
  static void queued(Thread thread, Context context) {
    WriteBarrier barrier = OPEN.get();
    if (barrier != null) {
      barrier.note(thread, context);
    }
  }

  private void note(Thread thread, Context context) {
    for (int i = 0; i < threads.size(); i++) {
      if (threads.get(i) == thread) {
        return;
      }
    }
    threads.add(thread);
    loops.add(context);
  }

  /** Closes the barrier without waiting for anything (the work it surrounded failed). */
  public void discard() {
    OPEN.remove();
  }

  /**
   * Closes the barrier and runs {@code written} once every write queued meanwhile has been handed
   * to its connection: at once when none was queued, else on the last event loop to get there.
   */
  public void close(Runnable written) {
    OPEN.remove();
    if (loops.isEmpty()) {
      written.run();
      return;
    }
    AtomicInteger left = new AtomicInteger(loops.size());
    for (Context loop : loops) {
      loop.runOnContext(
          ignored -> {
            if (left.decrementAndGet() == 0) {
              written.run();
            }
          });
    }
  }
}
