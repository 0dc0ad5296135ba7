package io.realtimegateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.support.FakeOpenWebUi;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.Tokens;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the running gateway with random and mutated Engine.IO / Socket.IO frames over many
 * WebSocket connections ({@link FrameGenerator}, {@link FuzzConnection}) while a well-behaved
 * client stays connected and receives emits sent through {@code POST /internal/v1/emit}. At the end
 * the gateway must have logged nothing at ERROR and no stack trace, the control client must have
 * received every emit without a disconnect, the gateway must hold only the control client's engine
 * session, socket, session pool entry and rooms, and its live heap after a full GC must be back to
 * where it was after the warm-up.
 *
 * <p>An {@code *IT} against the packaged gateway ({@link GatewayProcess}) rather than a
 * {@code @QuarkusTest}: the gateway's whole output, stderr included, is a file of its own that the
 * test can search for ERROR lines and stack traces, and its heap holds nothing of the fuzzer's (no
 * client buffers, no test framework), so "live heap before vs after" measures the gateway alone.
 * The JDK attach API gives the test the gateway's MemoryMXBean, so it can force the full GC
 * remotely ({@link GatewayHeap}). Engine sessions and sockets come from {@code /q/health/ready}.
 *
 * <p>CI runs 20,000 frames. The full run: {@code ./mvnw verify -Dfuzz.frames=1000000
 * -Dit.test=FrameFuzzIT -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false}. The seed is
 * random unless {@code -Dfuzz.seed} is given and is logged at the start and in every failure; a
 * failing connection is replayed alone with {@code -Dfuzz.seed=S -Dfuzz.connection=N}. A
 * connection's frames depend only on (seed, index); what the gateway sends back, and so the calls'
 * answers, depends on timing.
 */
class FrameFuzzIT {

  private static final Logger LOG = Logger.getLogger(FrameFuzzIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CONTROL_USER = "control";
  private static final String ENGINE_PATH = "/ws/socket.io";
  private static final long CI_FRAMES = 20_000;

  /**
   * Allowed growth of the live heap between the end of the warm-up and the end of the run. What
   * stays after a full GC without being a leak measured +0.4 to +1.3 MiB, the same after 20,000 and
   * after 100,000 frames: about a thousand byte arrays that plateau (idle connections of the
   * gateway's HTTP client to the backend, thread-local parser buffers). A connection the gateway
   * failed to release costs about 8.7 KiB, so 4 MiB is some 480 of them in the CI run, or 40 bytes
   * per connection over the 100,000-odd connections of the full run.
   */
  private static final long HEAP_GROWTH_LIMIT = 4L << 20;

  private static final Pattern LOG_LEVEL =
      Pattern.compile(
          "^\\d{4}-\\d\\d-\\d\\d \\S+ (ERROR|WARN|FATAL)\\s+\\[([^\\]]*)\\] \\([^)]*\\) (.*)");
  private static final Pattern STACK_TRACE =
      Pattern.compile(
          "^(\\s+at \\S+\\(|Caused by: |\\s*\\.\\.\\. \\d+ more|[\\w.$]+(Exception|Error|Throwable)(: |$))");

  @Test
  void fuzzedFramesCloseOnlyTheirOwnConnectionAndLeakNothing() throws Exception {
    long frames = Long.getLong("fuzz.frames", CI_FRAMES);
    long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    int workers = Integer.getInteger("fuzz.workers", 4);
    Long only = Long.getLong("fuzz.connection");
    long warmup = Math.min(frames / 5, 20_000);
    LOG.infof(
        "fuzz: seed %d, %d frames, %d workers (replay with -Dfuzz.seed=%d)",
        seed, frames, workers, seed);

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Map<String, String> env =
        Map.of(
            "WEBUI_SECRET_KEY",
            Tokens.SECRET,
            "OPEN_WEBUI_BASE_URL",
            FakeOpenWebUi.instance().baseUrl());
    try (GatewayProcess gateway = GatewayProcess.start("fuzz", env);
        GatewayHeap heap = GatewayHeap.attach(gateway.pid());
        ControlClient control =
            ControlClient.connect(gateway.baseUri(), Tokens.valid(CONTROL_USER, "Control"))) {
      Api api = new Api(http, gateway.baseUri());
      await("control client in the session pool")
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.sessionIds(CONTROL_USER).contains(control.sid()));
      String controlSid = control.sid();
      FuzzRun run =
          new FuzzRun(
              gateway.baseUri(),
              ENGINE_PATH,
              seed,
              new FrameGenerator(seed, new FuzzTokens(Tokens.SECRET)),
              http);

      try (Emitter emitter = Emitter.start(api)) {
        long started = System.nanoTime();
        if (only != null) {
          run.playOne(only);
        } else {
          run.play(warmup, workers);
        }
        run.awaitCalls(Duration.ofSeconds(60));
        awaitOnlyControl(api);
        long before = heap.liveBytes();
        Map<String, long[]> classesBefore = heap.histogram();
        long warmupConnections = run.stats().connections.sum();
        if (only == null) {
          run.play(frames - run.stats().frames.sum(), workers);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        run.awaitCalls(Duration.ofSeconds(60));
        long emits = emitter.stop();
        awaitOnlyControl(api);
        long after = heap.liveBytes();
        String classGrowth = GatewayHeap.growth(classesBefore, heap.histogram(), 15);
        long measuredConnections = run.stats().connections.sum() - warmupConnections;

        LogScan log = LogScan.of(gateway.logFile());
        LOG.infof(
            "fuzz: seed %d: %s in %s; live heap %,d -> %,d bytes (%+,d over %d connections, pools %s);"
                + " emits %d, received %d; WARN lines %s; classes that grew most:%n%s",
            seed,
            run.stats(),
            elapsed,
            before,
            after,
            after - before,
            measuredConnections,
            heap.collectors(),
            emits,
            control.received(),
            log.warnings,
            classGrowth);
        String context = "seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")";

        try {
          await("control client received all " + emits + " emits")
              .atMost(Duration.ofSeconds(30))
              .until(() -> control.received() >= emits);
        } catch (ConditionTimeoutException e) {
          // The missing emits are reported with every other finding below.
        }
        List<String> sessionPool = api.sessionIds(null);
        Map<String, List<String>> rooms = new TreeMap<>();
        for (String room : FuzzTokens.ROOMS) {
          rooms.put(room, api.roomMembers(room));
        }
        // Every check, so that one run reports every kind of finding.
        SoftAssertions.assertSoftly(
            softly -> {
              softly
                  .assertThat(run.findings())
                  .as("%s: %d findings, the first ones", context, run.failureCount())
                  .isEmpty();
              softly
                  .assertThat(log.errors)
                  .as("%s: ERROR lines in %s", context, gateway.logFile())
                  .isEmpty();
              softly
                  .assertThat(log.stackTraces)
                  .as("%s: stack trace lines in %s", context, gateway.logFile())
                  .isEmpty();
              softly.assertThat(emitter.failures).as("%s: emits refused", context).isEmpty();
              softly
                  .assertThat(control.missing(emits))
                  .as("%s: emits the control client missed", context)
                  .isEmpty();
              softly
                  .assertThat(control.duplicates.get())
                  .as("%s: emits received twice", context)
                  .isZero();
              softly
                  .assertThat(control.disconnects)
                  .as("%s: control client disconnects", context)
                  .isEmpty();
              softly
                  .assertThat(control.sid())
                  .as("%s: control socket id", context)
                  .isEqualTo(controlSid);
              List<String> leftInPool =
                  sessionPool.stream().filter(sid -> !sid.equals(controlSid)).toList();
              softly
                  .assertThat(sessionPool)
                  .as("%s: session pool after the run", context)
                  .contains(controlSid);
              softly
                  .assertThat(leftInPool)
                  .as(
                      "%s: fuzz sockets left in the session pool, from:%n%s",
                      context, run.explain(leftInPool))
                  .isEmpty();
              rooms.forEach(
                  (room, members) ->
                      softly
                          .assertThat(members)
                          .as(
                              "%s: %d members of %s after the run, from:%n%s",
                              context, members.size(), room, run.explain(members))
                          .isEmpty());
              softly
                  .assertThat(after - before)
                  .as(
                      "%s: live heap growth in bytes (%,d -> %,d); classes that grew most:%n%s",
                      context, before, after, classGrowth)
                  .isLessThan(HEAP_GROWTH_LIMIT);
            });
      }
    }
  }

  /** Waits until the gateway holds the control client's engine session and socket only. */
  private static void awaitOnlyControl(Api api) {
    AtomicLong sessions = new AtomicLong();
    AtomicLong sockets = new AtomicLong();
    await("engine sessions and sockets back to the control client's alone")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode data = api.readiness();
              sessions.set(data.path("engine-sessions").asLong(-1));
              sockets.set(data.path("sockets").asLong(-1));
              assertThat(List.of(sessions.get(), sockets.get()))
                  .as("engine-sessions, sockets in /q/health/ready")
                  .containsExactly(1L, 1L);
            });
  }

  /** The gateway's log: ERROR lines, stack trace lines, WARN messages counted by kind. */
  private record LogScan(
      List<String> errors, List<String> stackTraces, Map<String, Integer> warnings) {

    static LogScan of(Path file) throws IOException {
      List<String> errors = new ArrayList<>();
      List<String> traces = new ArrayList<>();
      Map<String, Integer> warnings = new TreeMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        var level = LOG_LEVEL.matcher(line);
        if (level.matches() && !level.group(1).equals("WARN")) {
          errors.add(line);
        } else if (level.matches()) {
          // Ids and numbers vary; the kind of warning is what the report needs.
          String kind =
              level.group(2)
                  + " "
                  + level
                      .group(3)
                      .replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "<uuid>")
                      .replaceAll("[A-Za-z0-9_-]{20}", "<sid>")
                      .replaceAll("\\d+", "<n>");
          warnings.merge(kind.length() > 200 ? kind.substring(0, 200) : kind, 1, Integer::sum);
        } else if (STACK_TRACE.matcher(line).find()) {
          traces.add(line);
        }
      }
      return new LogScan(
          errors.subList(0, Math.min(errors.size(), 20)),
          traces.subList(0, Math.min(traces.size(), 40)),
          warnings);
    }
  }

  /** The backend API and health endpoints, over plain HTTP/1.1 from loopback (no key needed). */
  private record Api(HttpClient http, URI base) {

    JsonNode get(String path) throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    }

    int post(String path, String body) throws IOException, InterruptedException {
      return http.send(
              HttpRequest.newBuilder(base.resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }

    JsonNode readiness() throws IOException, InterruptedException {
      for (JsonNode check : get("q/health/ready").path("checks")) {
        if (check.path("name").asText().equals("socket-io")) {
          return check.path("data");
        }
      }
      throw new AssertionError("no socket-io readiness check");
    }

    List<String> sessionIds(String userId) throws IOException, InterruptedException {
      JsonNode sessions =
          get("internal/v1/sessions" + (userId == null ? "" : "?user_id=" + userId))
              .path("sessions");
      List<String> sids = new ArrayList<>();
      sessions.forEach(session -> sids.add(session.path("sid").asText()));
      return sids;
    }

    List<String> roomMembers(String room) throws IOException, InterruptedException {
      List<String> sids = new ArrayList<>();
      get("internal/v1/rooms/" + room + "/sessions")
          .path("sessions")
          .forEach(sid -> sids.add(sid.asText()));
      return sids;
    }
  }

  /** Emits {@code {"seq": n}} to the control user's room, one after the other, until stopped. */
  private static final class Emitter implements AutoCloseable {
    private final Api api;
    private final AtomicLong sent = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private Emitter(Api api) {
      this.api = api;
      this.thread = new Thread(this::loop, "fuzz-control-emitter");
    }

    static Emitter start(Api api) {
      Emitter emitter = new Emitter(api);
      emitter.thread.start();
      return emitter;
    }

    private void loop() {
      while (running && failures.size() < 10) {
        long seq = sent.get();
        try {
          int status =
              api.post(
                  "internal/v1/emit",
                  "{\"event\":\"events\",\"room\":\"user:"
                      + CONTROL_USER
                      + "\",\"data\":{\"seq\":"
                      + seq
                      + "}}");
          if (status == 202) {
            sent.incrementAndGet();
          } else {
            failures.add("emit " + seq + " answered " + status);
          }
          TimeUnit.MILLISECONDS.sleep(10);
        } catch (IOException e) {
          failures.add("emit " + seq + " failed: " + e);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Stops emitting; returns how many emits were accepted. */
    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  /**
   * The well-behaved client: socket.io-client for Java as the Open WebUI web client sets it up
   * (WebSocket only, token in the CONNECT auth, {@code user-join}, a {@code heartbeat} every 30 s
   * so the session reaper keeps it, no reconnection so that a disconnect shows).
   */
  private static final class ControlClient implements AutoCloseable {
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private final Socket socket;
    private final ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fuzz-control-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    private final Set<Long> seqs = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final List<String> disconnects = new CopyOnWriteArrayList<>();

    private ControlClient(Socket socket) {
      this.socket = socket;
    }

    static ControlClient connect(URI gateway, String token) throws Exception {
      IO.Options options =
          IO.Options.builder()
              .setPath(ENGINE_PATH)
              .setTransports(new String[] {"websocket"})
              .setReconnection(false)
              .setForceNew(true)
              .setAuth(Map.of("token", token))
              .build();
      Socket socket = IO.socket(gateway, options);
      ControlClient client = new ControlClient(socket);
      CompletableFuture<Void> connected = new CompletableFuture<>();
      socket.on(Socket.EVENT_CONNECT, args -> connected.complete(null));
      socket.on(
          Socket.EVENT_DISCONNECT,
          args -> client.disconnects.add(String.valueOf(args.length > 0 ? args[0] : null)));
      socket.on(
          "events",
          args -> {
            long seq = ((JSONObject) args[0]).optLong("seq", -1);
            if (!client.seqs.add(seq)) {
              client.duplicates.incrementAndGet();
            }
          });
      socket.connect();
      connected.get(10, TimeUnit.SECONDS);
      socket.emit("user-join", new JSONObject(Map.of("auth", Map.of("token", token))));
      client.heartbeat.scheduleAtFixedRate(
          () -> socket.emit("heartbeat", new JSONObject()),
          HEARTBEAT.toSeconds(),
          HEARTBEAT.toSeconds(),
          TimeUnit.SECONDS);
      return client;
    }

    String sid() {
      return socket.id();
    }

    /** How many distinct emits arrived. */
    long received() {
      return seqs.size();
    }

    /** The first of the sequence numbers 0..emits-1 that never arrived. */
    List<Long> missing(long emits) {
      List<Long> missing = new ArrayList<>();
      for (long seq = 0; seq < emits && missing.size() < 20; seq++) {
        if (!seqs.contains(seq)) {
          missing.add(seq);
        }
      }
      return missing;
    }

    @Override
    public void close() {
      heartbeat.shutdownNow();
      socket.close();
    }
  }
}
