package io.realtimegateway.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handshakes per client address in one-second windows. The table holds only the addresses of the
 * current window, so a flood from many addresses costs one entry per address for one second.
 */
final class HandshakeRateLimit {

  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final int perSecond;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private volatile long windowStart = System.nanoTime();

  /** {@code perSecond} 0 lets everything through. */
  HandshakeRateLimit(int perSecond) {
    this.perSecond = perSecond;
  }

  /** Counts a handshake of the address; false when it is over the limit. */
  boolean allow(String address) {
    if (perSecond <= 0 || address == null || ClientAddresses.isLoopback(address)) {
      return true;
    }
    long now = System.nanoTime();
    if (now - windowStart >= WINDOW_NANOS) {
      // Two threads may both start the window: each clears counts that are at most a moment old.
      windowStart = now;
      counts.clear();
    }
    return counts.computeIfAbsent(address, key -> new AtomicInteger()).incrementAndGet()
        <= perSecond;
  }
}
