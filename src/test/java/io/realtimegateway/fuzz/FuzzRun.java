package io.realtimegateway.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * One fuzz run against one gateway: hands out connection indexes to worker threads until a frame
 * budget is spent, runs the backend calls scripts ask for, and collects statistics and findings.
 */
final class FuzzRun {

  /** Findings kept with their frames; later ones are only counted. */
  private static final int KEPT_FINDINGS = 20;

  private static final int SHOWN_FRAMES = 40;
  private static final Set<Integer> CALL_STATUSES = Set.of(200, 404, 504);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Counters of a run. */
  static final class Stats {
    final LongAdder frames = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder keptOpen = new LongAdder();
    final LongAdder closedAsExpected = new LongAdder();
    final LongAdder either = new LongAdder();
    final LongAdder serverMessages = new LongAdder();
    final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    final Map<Integer, LongAdder> callStatuses = new ConcurrentHashMap<>();

    @Override
    public String toString() {
      return "frames="
          + frames
          + " connections="
          + connections
          + " keptOpen="
          + keptOpen
          + " closedAsExpected="
          + closedAsExpected
          + " closedOrKept(bad UTF-8/framing)="
          + either
          + " serverMessages="
          + serverMessages
          + " closeCodes="
          + closeCodes
          + " callStatuses="
          + callStatuses;
    }
  }

  private final URI base;
  private final InetSocketAddress address;
  private final String path;
  private final long seed;
  private final FrameGenerator generator;
  private final HttpClient http;
  private final Stats stats = new Stats();
  private final AtomicLong nextIndex = new AtomicLong();
  private final AtomicInteger callsInFlight = new AtomicInteger();
  private final AtomicLong failureCount = new AtomicLong();
  private final Queue<String> findings = new ConcurrentLinkedQueue<>();
  private final Map<String, Long> connectionsBySocket = new ConcurrentHashMap<>();

  FuzzRun(URI base, String path, long seed, FrameGenerator generator, HttpClient http) {
    this.base = base;
    this.address = new InetSocketAddress(base.getHost(), base.getPort());
    this.path = path + "/?EIO=4&transport=websocket";
    this.seed = seed;
    this.generator = generator;
    this.http = http;
  }

  InetSocketAddress address() {
    return address;
  }

  String path() {
    return path;
  }

  /** The gateway's {@code maxPayload} (its default). */
  int maxPayload() {
    return 1_000_000;
  }

  /** The gateway's {@code gateway.engine.max-attachments} (its default). */
  int maxAttachments() {
    return 10;
  }

  FrameGenerator generator() {
    return generator;
  }

  Stats stats() {
    return stats;
  }

  long failureCount() {
    return failureCount.get();
  }

  List<String> findings() {
    return new ArrayList<>(findings);
  }

  /**
   * Plays connections on {@code workers} threads until {@code frames} more frames have been sent.
   * Which indexes run depends only on the budget; what each sends depends only on (seed, index).
   */
  void play(long frames, int workers) throws Exception {
    long target = stats.frames.sum() + frames;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        done.add(
            pool.submit(
                () -> {
                  while (stats.frames.sum() < target && failureCount.get() < KEPT_FINDINGS) {
                    playOne(nextIndex.getAndIncrement());
                  }
                  return null;
                }));
      }
      for (Future<?> worker : done) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Replays one connection, e.g. a failing one from an earlier run of the same seed. */
  void playOne(long index) {
    FrameGenerator.Script script = generator.script(index);
    int sent = new FuzzConnection(this, script).play();
    stats.frames.add(sent);
    stats.connections.increment();
  }

  /** Calls the script's socket through the backend API; the answer comes from the script. */
  void startCall(FrameGenerator.Script script, String socketId) {
    Random r = new Random(script.answerSeed() ^ 0x5DEECE66DL);
    String data = generator.oddValue(r, 1);
    String body =
        "{\"session_id\":\""
            + socketId
            + "\",\"event\":\""
            + (r.nextInt(4) == 0 ? "fuzz-call" : "events")
            + "\",\"data\":"
            + data
            + ",\"timeout_ms\":3000}";
    boolean valid;
    try {
      JSON.readTree(body);
      valid = true;
    } catch (JsonProcessingException e) {
      valid = false;
    }
    Set<Integer> expected = valid ? CALL_STATUSES : Set.of(400);
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("internal/v1/call"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    callsInFlight.incrementAndGet();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, failure) -> {
              try {
                if (failure != null) {
                  fail(script, List.of(), "call " + body + " failed: " + failure);
                } else {
                  stats
                      .callStatuses
                      .computeIfAbsent(response.statusCode(), code -> new LongAdder())
                      .increment();
                  if (!expected.contains(response.statusCode())) {
                    fail(
                        script,
                        List.of(),
                        "call "
                            + abbreviate(body)
                            + " answered "
                            + response.statusCode()
                            + " "
                            + abbreviate(response.body()));
                  }
                }
              } finally {
                callsInFlight.decrementAndGet();
              }
            });
  }

  /** Waits until every call has its answer (each times out after 3 s at the latest). */
  void awaitCalls(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (callsInFlight.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    if (callsInFlight.get() > 0) {
      throw new AssertionError(callsInFlight.get() + " backend calls still unanswered");
    }
  }

  /** Remembers which connection a socket id belongs to, to explain a socket left behind. */
  void socketConnected(String socketId, long index) {
    connectionsBySocket.put(socketId, index);
  }

  /** For each socket id: the connection that had it and the frames its script holds. */
  String explain(List<String> socketIds) {
    return socketIds.stream()
        .limit(3)
        .map(
            sid -> {
              Long index = connectionsBySocket.get(sid);
              if (index == null) {
                return "  " + sid + ": not a fuzz connection's socket";
              }
              List<FuzzFrame> frames = generator.script(index).frames();
              return "  "
                  + sid
                  + ": connection "
                  + index
                  + " (replay: -Dfuzz.seed="
                  + seed
                  + " -Dfuzz.connection="
                  + index
                  + "), its script:\n"
                  + frames.stream()
                      .limit(15)
                      .map(frame -> "    " + frame.describe())
                      .collect(Collectors.joining("\n"));
            })
        .collect(Collectors.joining("\n"));
  }

  /** Records a finding with the frames that led to it and the way to replay it. */
  void fail(FrameGenerator.Script script, List<FuzzFrame> sent, String reason) {
    if (failureCount.incrementAndGet() > KEPT_FINDINGS) {
      return;
    }
    int from = Math.max(0, sent.size() - SHOWN_FRAMES);
    String frames =
        sent.subList(from, sent.size()).stream()
            .map(frame -> "    " + frame.describe())
            .collect(Collectors.joining("\n"));
    findings.add(
        "connection "
            + script.index()
            + ": "
            + reason
            + "\n  replay: -Dfuzz.seed="
            + seed
            + " -Dfuzz.connection="
            + script.index()
            + "\n  frames sent"
            + (from > 0 ? " (last " + SHOWN_FRAMES + " of " + sent.size() + ")" : "")
            + ":\n"
            + frames);
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
