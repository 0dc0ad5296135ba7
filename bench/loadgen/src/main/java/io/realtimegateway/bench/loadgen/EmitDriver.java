package io.realtimegateway.bench.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The backend loop of fanout, room and cross: POSTs {@code /internal/v1/emit} with data {@code
 * {"t": nanoTime at send, "seq", "p": phase}} to the rooms round-robin, for a fixed time.
 *
 * <p>The loop is closed: at most {@code window} requests are in flight, and at most {@code window}
 * accepted emits may still be undelivered at the clients. A server that answers 202 before it has
 * written the frames can therefore not build an unbounded backlog, and the latency measured at
 * saturation is that of a full pipeline, not of a growing queue. With {@code rate > 0} it also
 * paces sends to that many emits per second (checked every millisecond).
 */
final class EmitDriver {

  /**
   * @param phase tag written into the data, 1..{@link FleetStats#PHASES}-1
   * @param rate emits per second; 0 = as fast as the window allows
   * @param rooms JSON string literals of the target rooms, used round-robin
   * @param fanout deliveries each accepted emit should cause
   */
  record Plan(
      int phase, Duration duration, double rate, int window, List<String> rooms, int fanout) {}

  /**
   * @param sent emits posted
   * @param accepted emits answered 202
   * @param statuses HTTP status to count (-1 = no answer)
   * @param elapsedNanos length of the sending window
   * @param deliveredInWindow deliveries counted at the clients while the window was open (any
   *     phase)
   * @param httpMicros emit request round trips
   * @param rateShortfall emits the pacing wanted but the window did not allow
   */
  record Result(
      long sent,
      long accepted,
      Map<Integer, Long> statuses,
      long elapsedNanos,
      long deliveredInWindow,
      Histogram httpMicros,
      long rateShortfall) {}

  private final Backend backend;
  private final FleetStats stats;
  private final Plan plan;
  private final Promise<Result> done = Promise.promise();
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private final Histogram httpMicros = new Histogram(1, FleetStats.MAX_MICROS, 3);
  private final StringBuilder body = new StringBuilder(256);

  private long startNanos;
  private long endNanos;
  private long stoppedNanos;
  private long deliveredAtStart;
  private long deliveredAtStop;
  private long timer;
  private boolean stopped;
  private long sent;
  private long accepted;
  private int inFlight;
  private long shortfall;

  private EmitDriver(Backend backend, FleetStats stats, Plan plan) {
    this.backend = backend;
    this.stats = stats;
    this.plan = plan;
  }

  static Future<Result> start(Backend backend, FleetStats stats, Plan plan) {
    EmitDriver driver = new EmitDriver(backend, stats, plan);
    backend.context.runOnContext(v -> driver.begin());
    return driver.done.future();
  }

  private void begin() {
    startNanos = System.nanoTime();
    endNanos = startNanos + plan.duration().toNanos();
    deliveredAtStart = stats.delivered.get();
    timer = backend.context.owner().setPeriodic(1, id -> pump());
    pump();
  }

  private void pump() {
    long now = System.nanoTime();
    if (now >= endNanos) {
      if (!stopped) {
        stopped = true;
        stoppedNanos = now;
        deliveredAtStop = stats.delivered.get();
        backend.context.owner().cancelTimer(timer);
        if (plan.rate() > 0) {
          // what pacing wanted but the window did not allow: the server is behind the asked rate
          shortfall = Math.max(0, (long) ((now - startNanos) / 1e9 * plan.rate()) - sent);
        }
      }
      if (inFlight == 0) {
        done.tryComplete(
            new Result(
                sent,
                accepted,
                statuses,
                stoppedNanos - startNanos,
                deliveredAtStop - deliveredAtStart,
                httpMicros,
                shortfall));
      }
      return;
    }
    long budget = Long.MAX_VALUE;
    if (plan.rate() > 0) {
      budget = (long) ((now - startNanos) / 1e9 * plan.rate()) + 1 - sent;
    }
    long delivered = stats.deliveredByPhase.get(plan.phase());
    long limit = (long) plan.window() * plan.fanout();
    while (budget > 0
        && inFlight < plan.window()
        && (accepted + inFlight) * plan.fanout() - delivered < limit) {
      send();
      budget--;
    }
  }

  private void send() {
    long seq = sent++;
    inFlight++;
    String room = plan.rooms().get((int) (seq % plan.rooms().size()));
    long t = System.nanoTime();
    body.setLength(0);
    body.append("{\"event\":\"events\",\"room\":")
        .append(room)
        .append(",\"data\":{\"t\":")
        .append(t)
        .append(",\"seq\":")
        .append(seq)
        .append(",\"p\":")
        .append(plan.phase())
        .append("}}");
    backend
        .post("/internal/v1/emit", body.toString())
        .onComplete(
            ar -> {
              inFlight--;
              int status = ar.result().status();
              statuses.merge(status, 1L, Long::sum);
              if (status == 202 || status == 200) {
                accepted++;
              }
              FleetStats.recordMicros(httpMicros, System.nanoTime() - t);
              pump();
            });
  }
}
