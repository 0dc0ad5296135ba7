package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The backend loop of the calls scenario: POSTs {@code /internal/v1/call} to the sessions
 * round-robin with {@code window} calls in flight, for a fixed time, and checks each answer is the
 * clients' ack {@code {"ok": true}}.
 */
final class CallDriver {

  record Plan(Duration duration, int window, List<String> sessionIds, int timeoutMs) {}

  /**
   * @param ok calls answered 200 with the expected result
   * @param failures reason ("status 504", "unexpected result") to count
   * @param roundTripMicros round trip of the successful calls
   */
  record Result(
      long sent,
      long ok,
      Map<String, Long> failures,
      long elapsedNanos,
      Histogram roundTripMicros) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Backend backend;
  private final Plan plan;
  private final Promise<Result> done = Promise.promise();
  private final Map<String, Long> failures = new TreeMap<>();
  private final Histogram roundTrip = new Histogram(1, FleetStats.MAX_MICROS, 3);

  private long startNanos;
  private long endNanos;
  private long stoppedNanos;
  private boolean stopped;
  private long sent;
  private long ok;
  private int inFlight;

  private CallDriver(Backend backend, Plan plan) {
    this.backend = backend;
    this.plan = plan;
  }

  static Future<Result> start(Backend backend, Plan plan) {
    CallDriver driver = new CallDriver(backend, plan);
    backend.context.runOnContext(v -> driver.begin());
    return driver.done.future();
  }

  private void begin() {
    startNanos = System.nanoTime();
    endNanos = startNanos + plan.duration().toNanos();
    pump();
  }

  private void pump() {
    long now = System.nanoTime();
    if (now >= endNanos) {
      if (!stopped) {
        stopped = true;
        stoppedNanos = now;
      }
      if (inFlight == 0) {
        done.tryComplete(new Result(sent, ok, failures, stoppedNanos - startNanos, roundTrip));
      }
      return;
    }
    while (inFlight < plan.window()) {
      send();
    }
  }

  private void send() {
    long seq = sent++;
    inFlight++;
    String sid = plan.sessionIds().get((int) (seq % plan.sessionIds().size()));
    String body =
        "{\"session_id\":"
            + Frames.quote(sid)
            + ",\"event\":\"events\",\"data\":{\"call\":"
            + seq
            + "},\"timeout_ms\":"
            + plan.timeoutMs()
            + "}";
    long t = System.nanoTime();
    backend
        .post("/internal/v1/call", body)
        .onComplete(
            ar -> {
              inFlight--;
              Backend.Reply reply = ar.result();
              if (reply.status() != 200) {
                failures.merge("status " + reply.status(), 1L, Long::sum);
              } else if (!answeredOk(reply)) {
                failures.merge("unexpected result", 1L, Long::sum);
              } else {
                ok++;
                FleetStats.recordMicros(roundTrip, System.nanoTime() - t);
              }
              // a server that fails fast must not turn this into a busy loop
              if (reply.status() == 200) {
                pump();
              } else {
                backend.context.owner().setTimer(5, id -> pump());
              }
            });
  }

  /** The result is the ack's one argument {@code {"ok":true}}; a one-element list is accepted. */
  private static boolean answeredOk(Backend.Reply reply) {
    try {
      JsonNode result = JSON.readTree(reply.body().getBytes()).path("result");
      if (result.isArray() && result.size() == 1) {
        result = result.get(0);
      }
      return result.path("ok").asBoolean(false);
    } catch (IOException e) {
      return false;
    }
  }
}
