package io.realtimegateway.bench.loadgen;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What every client connection counts, written from the event loops. Latencies are microseconds;
 * send and receive times are {@code System.nanoTime()} of this one JVM, so they compare exactly.
 */
final class FleetStats {

  /** Phases tag emitted data ({@code "p"}), so late deliveries are charged to the right phase. */
  static final int PHASES = 4;

  /** Largest latency kept exactly: 10 minutes in microseconds; longer ones are clamped. */
  static final long MAX_MICROS = 600_000_000L;

  final AtomicLong delivered = new AtomicLong();
  final AtomicLongArray deliveredByPhase = new AtomicLongArray(PHASES);
  final Histogram[] latencyByPhase = new Histogram[PHASES];
  final Histogram connectMicros = newHistogram();

  /** Round trips of the polling clients' POSTs, send to {@code ok} (polling only). */
  final Histogram postMicros = newHistogram();

  final LongAdder pings = new LongAdder();
  final LongAdder probes = new LongAdder();
  final LongAdder callsAnswered = new LongAdder();
  final LongAdder acks = new LongAdder();
  final LongAdder otherEvents = new LongAdder();
  final LongAdder parseErrors = new LongAdder();
  final LongAdder protocolErrors = new LongAdder();
  final LongAdder serverDisconnects = new LongAdder();
  final LongAdder unexpectedCloses = new LongAdder();
  final LongAdder socketErrors = new LongAdder();
  final LongAdder badPhase = new LongAdder();

  /** Characters of every text packet the clients received, before any decompression's effect. */
  final LongAdder payloadChars = new LongAdder();

  /** Local ports of the client WebSockets, to find their sockets in {@link WireBytes}. */
  final Set<Integer> localPorts = ConcurrentHashMap.newKeySet();

  /** WebSocket connections whose handshake answer accepted permessage-deflate. */
  final LongAdder deflateNegotiated = new LongAdder();

  /** Chat replies seen by the clients (task scenarios). */
  final TaskStreams tasks = new TaskStreams();

  /** First few distinct problems, for the report: message to count. */
  final ConcurrentHashMap<String, LongAdder> problems = new ConcurrentHashMap<>();

  FleetStats() {
    for (int i = 0; i < PHASES; i++) {
      latencyByPhase[i] = newHistogram();
    }
  }

  static Histogram newHistogram() {
    return new ConcurrentHistogram(1, MAX_MICROS, 3);
  }

  static void recordMicros(Histogram histogram, long nanos) {
    long micros = Math.max(1, Math.min(MAX_MICROS, nanos / 1_000));
    histogram.recordValue(micros);
  }

  /** Remembers a problem message; only the first 20 distinct ones are kept. */
  void problem(String message) {
    LongAdder counter = problems.get(message);
    if (counter == null && problems.size() < 20) {
      counter = problems.computeIfAbsent(message, m -> new LongAdder());
    }
    if (counter != null) {
      counter.increment();
    }
  }

  void onDelivery(int phase, long sentNanos, long receivedNanos) {
    delivered.incrementAndGet();
    if (phase < 0 || phase >= PHASES) {
      badPhase.increment();
      return;
    }
    deliveredByPhase.incrementAndGet(phase);
    if (sentNanos > 0) {
      recordMicros(latencyByPhase[phase], receivedNanos - sentNanos);
    }
  }
}
