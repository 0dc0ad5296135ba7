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
 * {"t": nanoTime at send, "seq", "p": phase}} to the rooms round-robin, for a fixed time. With a
 * batch above 1 each request carries that many emits as a JSON array; with a {@link RedisPublisher}
 * each emit is instead published to Redis as Open WebUI's backend does. Every count (sent,
 * accepted, rate, window) is in emits, not requests.
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
   * @param batch emits per request (one JSON array); 1 = a single emit object
   */
  record Plan(
      int phase,
      Duration duration,
      double rate,
      int window,
      List<String> rooms,
      int fanout,
      int batch) {

    Plan(int phase, Duration duration, double rate, int window, List<String> rooms, int fanout) {
      this(phase, duration, rate, window, rooms, fanout, 1);
    }
  }

  /**
   * @param sent emits posted
   * @param accepted emits answered 202
   * @param requests HTTP requests (or Redis publishes) made
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
      long requests,
      Map<Integer, Long> statuses,
      long elapsedNanos,
      long deliveredInWindow,
      Histogram httpMicros,
      long rateShortfall) {}

  private final Backend backend;
  private final RedisPublisher redis;
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
  private long requests;
  private int inFlight;
  private long shortfall;

  private EmitDriver(Backend backend, RedisPublisher redis, FleetStats stats, Plan plan) {
    this.backend = backend;
    this.redis = redis;
    this.stats = stats;
    this.plan = plan;
  }

  /**
   * Starts the loop on the backend's context; with {@code redis} not null the emits are published
   * there (its context must be the backend's) instead of posted.
   */
  static Future<Result> start(Backend backend, RedisPublisher redis, FleetStats stats, Plan plan) {
    EmitDriver driver = new EmitDriver(backend, redis, stats, plan);
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
                requests,
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
    int batch = plan.batch();
    long limit = (long) plan.window() * batch * plan.fanout();
    while (budget >= batch
        && inFlight < plan.window()
        && (accepted + (long) inFlight * batch) * plan.fanout() - delivered < limit) {
      send();
      budget -= batch;
    }
  }

  private void send() {
    inFlight++;
    requests++;
    long t = System.nanoTime();
    int batch = plan.batch();
    body.setLength(0);
    if (batch > 1) {
      body.append('[');
    }
    String room = null;
    String data = null;
    for (int i = 0; i < batch; i++) {
      long seq = sent++;
      room = plan.rooms().get((int) (seq % plan.rooms().size()));
      data = "{\"t\":" + t + ",\"seq\":" + seq + ",\"p\":" + plan.phase() + "}";
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"event\":\"events\",\"room\":")
          .append(room)
          .append(",\"data\":")
          .append(data)
          .append('}');
    }
    if (batch > 1) {
      body.append(']');
    }
    Future<Integer> answer =
        redis != null
            ? redis.publish(RedisPublisher.emitMessage(room, data))
            : backend.post("/internal/v1/emit", body.toString()).map(Backend.Reply::status);
    answer.onComplete(
        ar -> {
          inFlight--;
          int status = ar.succeeded() ? ar.result() : -1;
          statuses.merge(status, 1L, Long::sum);
          if (status == 202 || status == 200) {
            accepted += batch;
          }
          FleetStats.recordMicros(httpMicros, System.nanoTime() - t);
          pump();
        });
  }
}
