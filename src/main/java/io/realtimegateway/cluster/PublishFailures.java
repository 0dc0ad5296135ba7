package io.realtimegateway.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides which failed publishes are logged. While Redis is away every emit fails to publish, and a
 * line per failure would be thousands of lines a minute under load. So the first failure is logged,
 * then at most one line per interval carrying the number of failures left out, and one line when a
 * publish works again.
 *
 * <p>Lock-free: publishes complete on every event-loop thread, and the success path (every emit) is
 * one volatile read.
 */
final class PublishFailures {

  /** At most one warning per interval. A constant: {@code ClusterBus} has no configuration. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  /** The replica's own: a replica has one bus, so one rate for its publish failures. */
  static final PublishFailures OF_THIS_REPLICA = new PublishFailures(INTERVAL, System::nanoTime);

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong lastWarning;
  private final AtomicLong unlogged = new AtomicLong();
  private final AtomicBoolean warned = new AtomicBoolean();

  PublishFailures(Duration interval, LongSupplier nanoClock) {
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    // As if the last warning were one interval ago: the first failure is logged at once.
    this.lastWarning = new AtomicLong(nanoClock.getAsLong() - intervalNanos);
  }

  /**
   * Records a failed publish.
   *
   * @return {@code -1} when this failure is not to be logged; otherwise it is, and the result is
   *     the number of failures left out since the previous warning
   */
  long failed() {
    long now = nanoClock.getAsLong();
    long last = lastWarning.get();
    if (now - last >= intervalNanos && lastWarning.compareAndSet(last, now)) {
      warned.set(true);
      return unlogged.getAndSet(0);
    }
    unlogged.incrementAndGet();
    return -1;
  }

  /**
   * Records a successful publish.
   *
   * @return {@code -1} when nothing is to be logged; otherwise publishing works again after a
   *     warning, and the result is the number of failures left out since that warning
   */
  long succeeded() {
    if (!warned.get() || !warned.compareAndSet(true, false)) {
      return -1;
    }
    return unlogged.getAndSet(0);
  }
}
