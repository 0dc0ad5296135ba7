package io.realtimegateway.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Events and deliveries per second over the last {@link #SECONDS} seconds, for the console's chart.
 * Sampled once a second from the meters {@code /q/metrics} shows ({@code gateway.events.in}, {@code
 * gateway.events.out}, {@code gateway.deliveries}): a ring of differences, never a counter of its
 * own on the hot path.
 */
@ApplicationScoped
public class TrafficRates {

  /** How far back the chart goes. */
  static final int SECONDS = 300;

  private final MeterRegistry meters;
  private final long[] epochSeconds = new long[SECONDS];
  private final long[] events = new long[SECONDS];
  private final long[] deliveries = new long[SECONDS];
  private int next;
  private int filled;
  private double lastEvents = -1;
  private double lastDeliveries = -1;

  public TrafficRates(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * One second of traffic on this replica.
   *
   * @param epochSecond the second it ends
   * @param events events received from clients plus events emitted to them
   * @param deliveries packets written to sockets (one emit to a room of n sockets is n)
   */
  @RegisterForReflection
  public record Sample(
      @JsonProperty("epoch_second") long epochSecond, long events, long deliveries) {}

  @Scheduled(
      identity = "console-traffic-rates",
      every = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sample() {
    record(Instant.now().getEpochSecond(), eventTotal(), deliveryTotal());
  }

  /** Adds the second that ended with these totals; the first call only sets the baseline. */
  synchronized void record(long epochSecond, double eventTotal, double deliveryTotal) {
    if (lastEvents >= 0) {
      epochSeconds[next] = epochSecond;
      events[next] = Math.max(0, Math.round(eventTotal - lastEvents));
      deliveries[next] = Math.max(0, Math.round(deliveryTotal - lastDeliveries));
      next = (next + 1) % SECONDS;
      filled = Math.min(SECONDS, filled + 1);
    }
    lastEvents = eventTotal;
    lastDeliveries = deliveryTotal;
  }

  /** The samples kept, oldest first. */
  public synchronized List<Sample> recent() {
    List<Sample> samples = new ArrayList<>(filled);
    for (int i = filled; i > 0; i--) {
      int slot = Math.floorMod(next - i, SECONDS);
      samples.add(new Sample(epochSeconds[slot], events[slot], deliveries[slot]));
    }
    return samples;
  }

  private double eventTotal() {
    return meters.find("gateway.events.in").counters().stream().mapToDouble(c -> c.count()).sum()
        + meters.find("gateway.events.out").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double deliveryTotal() {
    return meters.find("gateway.deliveries").functionCounters().stream()
        .mapToDouble(FunctionCounter::count)
        .sum();
  }
}
