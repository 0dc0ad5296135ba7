package io.realtimegateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Smoke run of the benchmark harness: each load generator scenario of bench/run.sh, at a tiny size,
 * against the packaged gateway, must finish without a protocol, delivery or API error; so must
 * those of bench/polling.sh over long-polling, one of them through a second replica that forwards
 * the polls; S0's against the bare Vert.x peer (with batched emits, which it accepts), S5py's
 * python-socketio manager messages through Redis, and S12's compressed replies in both streaming
 * formats. It keeps the harness working as the gateway changes; it measures nothing and checks no
 * timing.
 */
class BenchHarnessIT {

  private static final Path LOADGEN = Path.of("bench", "loadgen", "target", "loadgen.jar");
  private static final Path VERTX_PEER =
      Path.of("bench", "peers", "vertx", "target", "vertx-peer.jar");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static GatewayProcess gateway;

  /** Where the load generator serves its fake model server in the task scenarios. */
  private static int upstreamPort;

  @BeforeAll
  static void startGateway() throws IOException {
    assertThat(LOADGEN)
        .as("run `./mvnw -f bench/loadgen/pom.xml package` first (scripts/test.sh does)")
        .isRegularFile();
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      upstreamPort = free.getLocalPort();
    }
    gateway =
        GatewayProcess.start(
            "bench-smoke",
            Map.of(
                "WEBUI_SECRET_KEY",
                Tokens.SECRET,
                "OPENAI_API_BASE_URL",
                "http://127.0.0.1:" + upstreamPort + "/v1"));
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"connect", "fanout", "room", "calls", "tasks", "stop"})
  void scenarioRunsWithoutErrors(String scenario, @TempDir Path dir) throws Exception {
    List<String> options = new ArrayList<>();
    switch (scenario) {
      case "tasks" ->
          options.addAll(
              List.of(
                  "--upstream-port", "" + upstreamPort, "--tokens", "20", "--token-rate", "50"));
      case "stop" ->
          options.addAll(
              List.of(
                  "--upstream-port",
                  "" + upstreamPort,
                  "--tokens",
                  "100000",
                  "--token-rate",
                  "20"));
      default -> {
        // the other scenarios need no model server
      }
    }
    JsonNode metrics = run(scenario, gateway, options, dir);
    assertScenarioMetrics(scenario, metrics);
  }

  /**
   * S0: fan-out and room broadcast against the bare Vert.x server, and fan-out with 20 emits per
   * request, which it accepts as a JSON array (as the gateway's batch emit does).
   */
  @ParameterizedTest
  @ValueSource(strings = {"fanout", "room", "fanout --batch 20"})
  void bareVertxPeerRunsWithoutErrors(String command, @TempDir Path dir) throws Exception {
    assertThat(VERTX_PEER)
        .as("run `./mvnw -f bench/peers/vertx/pom.xml package` first (scripts/test.sh does)")
        .isRegularFile();
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                VERTX_PEER.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("vertx-peer.log").toFile());
    builder.environment().put("PORT", String.valueOf(port));
    Process peer = builder.start();
    try {
      String[] words = command.split(" ");
      String scenario = words[0];
      List<String> options = List.of(words).subList(1, words.length);
      JsonNode metrics = run(scenario, port, options, dir);
      assertScenarioMetrics(scenario, metrics);
      if (!options.isEmpty()) {
        JsonNode saturation = metrics.path("saturation");
        assertThat(saturation.at("/emitsAccepted/value").asLong() % 20).isZero();
        assertThat(saturation.at("/requestsPerSec/value").asDouble())
            .isLessThan(saturation.at("/emitsPerSec/value").asDouble() / 10);
      }
    } finally {
      peer.destroy();
      if (!peer.waitFor(10, TimeUnit.SECONDS)) {
        peer.destroyForcibly();
      }
    }
  }

  /**
   * S5py: the load generator publishes python-socketio's JSON manager messages to Redis, as Open
   * WebUI's backend does; a gateway replica in Redis mode delivers every one to its clients.
   */
  @Test
  void pythonManagerMessagesThroughRedisRunWithoutErrors(@TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.start();
        GatewayProcess replica =
            GatewayProcess.start(
                "bench-python-manager",
                Map.of(
                    "WEBSOCKET_MANAGER",
                    "redis",
                    "REDIS_URL",
                    redis.url(),
                    "WEBUI_SECRET_KEY",
                    Tokens.SECRET))) {
      JsonNode metrics =
          run(
              "fanout",
              replica.port(),
              List.of("--emit-redis", "redis://127.0.0.1:" + redis.port(), "--rate", "200"),
              dir);
      assertScenarioMetrics("fanout", metrics);
      assertThat(metrics.at("/rate/deliveriesCounted/value").asLong())
          .isPositive()
          .isEqualTo(metrics.at("/rate/deliveriesExpected/value").asLong());
    }
  }

  /**
   * S12: streamed replies to clients that offer permessage-deflate, in both formats; every reply
   * complete and in order, every tab compressed, and fewer bytes on the wire than were delivered.
   */
  @ParameterizedTest
  @ValueSource(strings = {"snapshot", "delta"})
  void compressedRepliesRunWithoutErrors(String format, @TempDir Path dir) throws Exception {
    int upstream;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      upstream = free.getLocalPort();
    }
    try (GatewayProcess replica =
        GatewayProcess.start(
            "bench-compression-" + format,
            Map.of(
                "WEBUI_SECRET_KEY",
                Tokens.SECRET,
                "OPENAI_API_BASE_URL",
                "http://127.0.0.1:" + upstream + "/v1",
                "GATEWAY_COMPLETION_STREAM",
                format))) {
      JsonNode metrics =
          run(
              "tasks",
              replica.port(),
              List.of(
                  "--upstream-port",
                  "" + upstream,
                  "--tokens",
                  "20",
                  "--token-rate",
                  "50",
                  "--compression",
                  "deflate"),
              dir);
      assertScenarioMetrics("tasks", metrics);
      assertThat(metrics.at("/clients/deflateNegotiated/value").asLong()).isEqualTo(20);
      assertThat(metrics.at("/tasks/clientWireBytes/value").asLong())
          .isPositive()
          .isLessThan(metrics.at("/tasks/clientPayloadChars/value").asLong());
    }
  }

  /** The scenarios bench/polling.sh drives, with the clients over Engine.IO long-polling. */
  @ParameterizedTest
  @ValueSource(strings = {"connect", "fanout", "calls"})
  void scenarioRunsOverLongPollingWithoutErrors(String scenario, @TempDir Path dir)
      throws Exception {
    JsonNode metrics = run(scenario, gateway, List.of("--transport", "polling"), dir);
    assertScenarioMetrics(scenario, metrics);
    if (scenario.equals("calls")) {
      assertThat(metrics.at("/calls/postRoundTrip/count").asLong()).isPositive();
    }
  }

  /**
   * S11 of bench/polling.sh: sessions made at replica A, every GET and POST sent to replica B,
   * which forwards them to A; the calls' events and acks must all make it through.
   */
  @Test
  void forwardedPollsRunWithoutErrors(@TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Map<String, String> env =
          Map.of(
              "WEBSOCKET_MANAGER",
              "redis",
              "REDIS_URL",
              redis.url(),
              "WEBUI_SECRET_KEY",
              Tokens.SECRET,
              "GATEWAY_CLUSTER_ADVERTISED_ADDRESS",
              "127.0.0.1");
      try (GatewayProcess a = GatewayProcess.start("bench-poll-a", env);
          GatewayProcess b = GatewayProcess.start("bench-poll-b", env)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Long.valueOf(2).equals(redis.command("HLEN", "open-webui:gateway:addresses")));
        List<String> options =
            List.of("--transport", "polling", "--poll-url", "http://127.0.0.1:" + b.port());
        JsonNode metrics = run("calls", a, options, dir);
        assertScenarioMetrics("calls", metrics);
        assertThat(metrics.at("/calls/postRoundTrip/count").asLong()).isPositive();
      }
    }
  }

  /**
   * Runs one load generator scenario at a tiny size against {@code server}; it must end by itself
   * with exit code 0 and no error in its result. Returns the result's metrics.
   */
  private static JsonNode run(
      String scenario, GatewayProcess server, List<String> options, Path dir) throws Exception {
    return run(scenario, server.port(), options, dir);
  }

  /** {@link #run(String, GatewayProcess, List, Path)} against any server on {@code port}. */
  private static JsonNode run(String scenario, int port, List<String> options, Path dir)
      throws Exception {
    Path out = dir.resolve(scenario + ".json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-jar", LOADGEN.toString(), scenario));
    command.addAll(List.of("--url", "http://127.0.0.1:" + port));
    command.addAll(List.of("--secret", Tokens.SECRET, "--connections", "20"));
    command.addAll(List.of("--duration-s", "1", "--warmup-s", "1", "--hold-s", "1"));
    command.addAll(List.of("--out", out.toString()));
    command.addAll(options);
    File log = dir.resolve(scenario + ".log").toFile();
    Process loadgen =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();

    boolean ended = loadgen.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      loadgen.destroyForcibly();
    }
    String output = Files.readString(log.toPath());
    assertThat(ended).as("loadgen %s ended; output:%n%s", scenario, output).isTrue();
    assertThat(loadgen.exitValue()).as("exit code; output:%n%s", output).isZero();
    JsonNode result = JSON.readTree(out.toFile());
    assertThat(result.path("errors").asInt(-1))
        .as("errors %s", result.path("errorDetails"))
        .isZero();
    return result.path("metrics");
  }

  private static void assertScenarioMetrics(String scenario, JsonNode metrics) {
    switch (scenario) {
      case "connect" -> assertThat(metrics.at("/connect/connected/value").asInt()).isEqualTo(20);
      case "fanout" -> {
        JsonNode saturation = metrics.path("saturation");
        assertThat(saturation.at("/deliveriesCounted/value").asLong()).isPositive();
        assertThat(saturation.at("/deliveriesCounted/value").asLong())
            .isEqualTo(saturation.at("/deliveriesExpected/value").asLong());
      }
      case "room" -> {
        assertThat(metrics.at("/room/deliveriesPerSec/value").asDouble()).isPositive();
        // the fixed-rate phase after saturation: every accepted broadcast reached every member
        JsonNode rate = metrics.path("rate");
        assertThat(rate.at("/deliveriesCounted/value").asLong()).isPositive();
        assertThat(rate.at("/deliveriesCounted/value").asLong())
            .isEqualTo(rate.at("/deliveriesExpected/value").asLong());
      }
      case "calls" -> {
        JsonNode calls = metrics.path("calls");
        assertThat(calls.at("/ok/value").asLong()).isPositive();
        assertThat(calls.at("/ok/value").asLong()).isEqualTo(calls.at("/sent/value").asLong());
      }
      case "tasks" -> {
        JsonNode tasks = metrics.path("tasks");
        assertThat(tasks.at("/tasksStarted/value").asLong()).isEqualTo(20);
        assertThat(tasks.at("/tasksCompleteAndInOrder/value").asLong()).isEqualTo(20);
        assertThat(tasks.at("/chunksDelivered/value").asLong()).isEqualTo(20 * 20);
      }
      case "stop" -> {
        JsonNode stop = metrics.path("stop");
        assertThat(stop.at("/tasksStopped/value").asLong()).isEqualTo(20);
        assertThat(stop.at("/stopToUpstreamClosed/count").asLong()).isEqualTo(20);
        assertThat(stop.at("/stopToCancelEvent/count").asLong()).isEqualTo(20);
      }
      default -> throw new IllegalArgumentException(scenario);
    }
  }
}
