package io.realtimegateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.Tokens;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Smoke run of the benchmark harness: each load generator scenario of bench/run.sh, at a tiny size,
 * against the packaged gateway, must finish without a protocol, delivery or API error. It keeps the
 * harness working as the gateway changes; it measures nothing and checks no timing.
 */
class BenchHarnessIT {

  private static final Path LOADGEN = Path.of("bench", "loadgen", "target", "loadgen.jar");
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
    Path out = dir.resolve(scenario + ".json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-jar", LOADGEN.toString(), scenario));
    command.addAll(List.of("--url", "http://127.0.0.1:" + gateway.port()));
    command.addAll(List.of("--secret", Tokens.SECRET, "--connections", "20"));
    command.addAll(List.of("--duration-s", "1", "--warmup-s", "1", "--hold-s", "1"));
    command.addAll(List.of("--out", out.toString()));
    switch (scenario) {
      case "tasks" ->
          command.addAll(
              List.of(
                  "--upstream-port", "" + upstreamPort, "--tokens", "20", "--token-rate", "50"));
      case "stop" ->
          command.addAll(
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
    JsonNode metrics = result.path("metrics");
    switch (scenario) {
      case "connect" -> assertThat(metrics.at("/connect/connected/value").asInt()).isEqualTo(20);
      case "fanout" -> {
        JsonNode saturation = metrics.path("saturation");
        assertThat(saturation.at("/deliveriesCounted/value").asLong()).isPositive();
        assertThat(saturation.at("/deliveriesCounted/value").asLong())
            .isEqualTo(saturation.at("/deliveriesExpected/value").asLong());
      }
      case "room" -> assertThat(metrics.at("/room/deliveriesPerSec/value").asDouble()).isPositive();
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
