package io.realtimegateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis away for 30 s under emit load: replica A takes a few hundred emits per second through the
 * HTTP API, to a user whose tab is on A and to a user whose tab is on B. Meanwhile A's heap stays
 * bounded, its log is not flooded, its own tab keeps getting events and its API keeps answering;
 * once Redis is back, B's tab gets A's emits again. Redis goes away in two ways: killed
 * (connections refused at once) and frozen with SIGSTOP (connections stay open and nothing answers,
 * as a hung server or a paused VM, the closest a test gets to a network partition).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RedisOutageIT {

  private static final Logger LOG = Logger.getLogger(RedisOutageIT.class);

  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final int EMITS_PER_SECOND = 250;

  /** Longest an emit may take to be answered; the API answers in milliseconds normally. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** Padding of each emit, so that retaining the emits of an outage would show in the heap. */
  private static final String PAD = "x".repeat(1024);

  /**
   * Live heap growth allowed over the outage (after a full collection at both ends). A steady
   * gateway's live heap moves by less than 0.2 MiB between two such collections; an emit held until
   * Redis answers costs about 4.4 KiB (payload, encoded command, pending promise). 8 MiB is about
   * 1,900 held emits, 8 s of this load: a gateway that holds the outage's emits fails, one that
   * lets go of them within seconds passes.
   */
  private static final long MAX_HEAP_GROWTH = 8L * 1024 * 1024;

  /**
   * WARN lines allowed in A's log during the outage. What fails once per interval rather than once
   * per emit comes to about 16 in 30 s: the usage cleanup every 3 s, the subscription loss, and
   * failed publishes once per 10 s. One line per failed publish is thousands.
   */
  private static final int MAX_WARN_LINES = 30;

  private static final Pattern HISTOGRAM_TOTAL =
      Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern LOG_LEVEL = Pattern.compile("^\\S+ \\S+ (\\w+)\\s+\\[([^\\]]+)\\]");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private static RedisServer redis;
  private static GatewayProcess a;
  private static GatewayProcess b;

  /** How Redis goes away and comes back. */
  private enum Outage {
    KILLED {
      @Override
      void begin() {
        redis.kill();
      }

      @Override
      void end() {
        redis.restart();
      }
    },
    FROZEN {
      @Override
      void begin() {
        redis.pause();
      }

      @Override
      void end() {
        redis.resume();
      }
    };

    abstract void begin();

    abstract void end();
  }

  @BeforeAll
  static void startFleet() {
    redis = RedisServer.start();
    Map<String, String> env =
        Map.of(
            "WEBSOCKET_MANAGER",
            "redis",
            "REDIS_URL",
            redis.url(),
            "WEBUI_SECRET_KEY",
            Tokens.SECRET);
    a = GatewayProcess.start("outage-a", env);
    b = GatewayProcess.start("outage-b", env);
  }

  @AfterAll
  static void stopFleet() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void killedRedisUnderLoadKeepsHeapLogAndLocalDeliveryBounded() throws Exception {
    survivesOutage(Outage.KILLED, "killed");
  }

  @Test
  void frozenRedisUnderLoadKeepsHeapLogAndLocalDeliveryBounded() throws Exception {
    survivesOutage(Outage.FROZEN, "frozen");
  }

  private void survivesOutage(Outage outage, String name) throws Exception {
    awaitReady();
    String localUser = "outage-local-" + name;
    String remoteUser = "outage-remote-" + name;
    try (BrowserTab local = BrowserTab.open(a.baseUri(), Tokens.valid(localUser, localUser));
        BrowserTab remote = BrowserTab.open(b.baseUri(), Tokens.valid(remoteUser, remoteUser));
        Load load = new Load(localUser, remoteUser)) {
      LOG.infof("%s: local tab %s on A, remote tab %s on B", name, local.sid(), remote.sid());
      await("first emits on both tabs")
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          "local "
                              + received(local).size()
                              + " remote "
                              + received(remote).size()
                              + " outcomes "
                              + load.outcomes("start"))
                      .matches("local [1-9]\\d+ remote [1-9]\\d+ .*"));

      load.phase.set("warm-up");
      pause(WARM_UP);
      Histogram heapBefore = Histogram.of(a);

      long logStart = Files.size(a.logFile());
      load.phase.set("outage");
      LOG.infof("%s: Redis goes away for %s", name, OUTAGE);
      outage.begin();
      Histogram heapAfter;
      Set<Integer> localDuringOutage;
      List<String> outageLog;
      try {
        // The outage itself: its length is what this test is about.
        pause(OUTAGE);
        heapAfter = Histogram.of(a);
        localDuringOutage = load.accepted(localUser, "outage");
        LOG.infof(
            "%s: at the end of the outage readiness A %d, B %d",
            name, a.readinessStatus(), b.readinessStatus());
        outageLog = logSince(a.logFile(), logStart);
      } finally {
        outage.end();
      }
      load.phase.set("after");
      LOG.infof("%s: Redis is back", name);

      SoftAssertions softly = new SoftAssertions();
      // (a) Memory stays bounded.
      long growth = heapAfter.totalBytes - heapBefore.totalBytes;
      LOG.infof(
          "%s: live heap %d -> %d bytes (%+d); grew most: %s",
          name,
          heapBefore.totalBytes,
          heapAfter.totalBytes,
          growth,
          heapAfter.grewMost(heapBefore));
      softly
          .assertThat(growth)
          .as(
              "live heap growth over the outage (bytes); grew most: %s",
              heapAfter.grewMost(heapBefore))
          .isLessThanOrEqualTo(MAX_HEAP_GROWTH);

      // (b) No log flood.
      List<String> warnings =
          outageLog.stream().filter(line -> "WARN".equals(level(line))).toList();
      Map<String, Long> warningsBySource =
          warnings.stream()
              .collect(Collectors.groupingBy(RedisOutageIT::source, Collectors.counting()));
      LOG.infof(
          "%s: %d WARN lines during the outage by source %s; first lines:%n%s",
          name,
          warnings.size(),
          warningsBySource,
          warnings.stream().limit(5).collect(Collectors.joining("\n")));
      softly
          .assertThat(warnings.size())
          .as("WARN lines during the outage, by source %s", warningsBySource)
          .isLessThanOrEqualTo(MAX_WARN_LINES);

      // (c) Local delivery goes on during the outage.
      softly
          .assertThat(localDuringOutage)
          .as("local emits accepted during the outage")
          .isNotEmpty();
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> received(local).containsAll(localDuringOutage));
      } catch (ConditionTimeoutException e) {
        Set<Integer> missing = new TreeSet<>(localDuringOutage);
        missing.removeAll(received(local));
        softly.fail(
            "%d of %d local emits of the outage never reached the local tab, first %s",
            missing.size(), localDuringOutage.size(), missing.stream().limit(10).toList());
      }

      // ... and delivery across replicas resumes once Redis is back.
      awaitReady();
      int sentBeforeReady = load.sequence.get();
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> received(remote).stream().anyMatch(n -> n > sentBeforeReady));
      } catch (ConditionTimeoutException e) {
        softly.fail("no emit sent after Redis came back reached the tab on the other replica");
      }

      Set<Integer> remoteDuringOutage = load.accepted(remoteUser, "outage");
      int outageEmitsOnB = remoteDuringOutage.size();
      remoteDuringOutage.retainAll(received(remote));
      LOG.infof(
          "%s: %d of the %d emits to B's user accepted during the outage reached B's tab",
          name, remoteDuringOutage.size(), outageEmitsOnB);

      // (d) The API kept answering.
      load.close();
      Map<String, Long> outcomes = load.outcomes("outage");
      for (String phase : List.of("warm-up", "outage", "after")) {
        LOG.infof(
            "%s: %s emits by outcome %s, slowest answer %d ms",
            name, phase, load.outcomes(phase), load.slowestMillis(phase));
      }
      softly
          .assertThat(outcomes.keySet())
          .as("outcomes of the emits sent during the outage: %s", outcomes)
          .containsOnly("202");
      softly.assertAll();
    }
  }

  private static void awaitReady() {
    await("both replicas ready")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> a.readinessStatus() == 200 && b.readinessStatus() == 200);
  }

  /** The sequence numbers of the emits a tab has received. */
  private static Set<Integer> received(BrowserTab tab) {
    return tab.events().stream()
        .map(event -> ((JSONObject) event).optInt("n", -1))
        .collect(Collectors.toSet());
  }

  private static String level(String line) {
    Matcher matcher = LOG_LEVEL.matcher(line);
    return matcher.find() ? matcher.group(1) : "";
  }

  private static String source(String line) {
    Matcher matcher = LOG_LEVEL.matcher(line);
    return matcher.find() ? matcher.group(2) : "?";
  }

  private static List<String> logSince(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int from = (int) Math.min(offset, bytes.length);
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines().toList();
  }

  private static void pause(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  /**
   * The live objects of a gateway process after a full collection ({@code jcmd GC.class_histogram}
   * collects first), in total and by class.
   */
  private record Histogram(long totalBytes, Map<String, Long> bytesByClass) {

    static Histogram of(GatewayProcess gateway) throws IOException, InterruptedException {
      Process jcmd =
          new ProcessBuilder("jcmd", String.valueOf(gateway.pid()), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        throw new IllegalStateException("jcmd GC.class_histogram failed:\n" + output);
      }
      Matcher total = HISTOGRAM_TOTAL.matcher(output);
      if (!total.find()) {
        throw new IllegalStateException("no Total line in the class histogram:\n" + output);
      }
      Map<String, Long> byClass = new HashMap<>();
      Matcher row = HISTOGRAM_ROW.matcher(output);
      while (row.find()) {
        byClass.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
      }
      return new Histogram(Long.parseLong(total.group(2)), byClass);
    }

    /** The five classes whose live bytes grew most since {@code before}. */
    String grewMost(Histogram before) {
      return bytesByClass.entrySet().stream()
          .map(
              entry ->
                  Map.entry(
                      entry.getKey(),
                      entry.getValue() - before.bytesByClass.getOrDefault(entry.getKey(), 0L)))
          .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
          .limit(5)
          .map(entry -> entry.getKey() + " +" + entry.getValue())
          .collect(Collectors.joining(", "));
    }
  }

  /**
   * A backend emitting {@code EMITS_PER_SECOND} numbered events through replica A, alternately to
   * the local user (tab on A) and the remote user (tab on B), and recording how each was answered.
   * A few senders, each waiting for its answer: a slow gateway gets fewer emits instead of ever
   * more connections.
   */
  private static final class Load implements AutoCloseable {

    private static final int SENDERS = 5;

    private record Outcome(int n, String user, String phase, String result, long millis) {}

    final AtomicReference<String> phase = new AtomicReference<>("start");
    final AtomicInteger sequence = new AtomicInteger();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<String> users;
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean running = true;

    Load(String localUser, String remoteUser) {
      this.users = List.of(localUser, remoteUser);
      long periodNanos = TimeUnit.SECONDS.toNanos(1) * SENDERS / EMITS_PER_SECOND;
      for (int i = 0; i < SENDERS; i++) {
        Thread sender = new Thread(() -> send(periodNanos), "emit-load-" + i);
        sender.setDaemon(true);
        senders.add(sender);
        sender.start();
      }
    }

    private void send(long periodNanos) {
      long next = System.nanoTime();
      while (running) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
        emitOne();
      }
    }

    private void emitOne() {
      int n = sequence.incrementAndGet();
      String user = users.get(n % 2);
      String currentPhase = phase.get();
      String body =
          new JSONObject(
                  Map.of(
                      "event",
                      "events",
                      "room",
                      "user:" + user,
                      "data",
                      Map.of("n", n, "pad", PAD)))
              .toString();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(a.baseUri() + "internal/v1/emit"))
              .timeout(REQUEST_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      long start = System.nanoTime();
      String result;
      try {
        result =
            String.valueOf(HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
      } catch (IOException e) {
        result = e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      outcomes.add(
          new Outcome(
              n,
              user,
              currentPhase,
              result,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    /** Sequence numbers of the emits to {@code user} answered 202 in {@code phase} so far. */
    Set<Integer> accepted(String user, String inPhase) {
      return outcomes.stream()
          .filter(o -> o.user.equals(user) && o.phase.equals(inPhase) && o.result.equals("202"))
          .map(Outcome::n)
          .collect(Collectors.toCollection(ConcurrentHashMap::newKeySet));
    }

    Map<String, Long> outcomes(String inPhase) {
      return outcomes.stream()
          .filter(o -> o.phase.equals(inPhase))
          .collect(Collectors.groupingBy(Outcome::result, Collectors.counting()));
    }

    long slowestMillis(String inPhase) {
      return outcomes.stream()
          .filter(o -> o.phase.equals(inPhase))
          .mapToLong(Outcome::millis)
          .max()
          .orElse(0);
    }

    /** Stops sending and waits until every request sent has been answered or has timed out. */
    @Override
    public void close() throws InterruptedException {
      running = false;
      for (Thread sender : senders) {
        sender.join(REQUEST_TIMEOUT.multipliedBy(2).toMillis());
      }
    }
  }
}
