package io.realtimegateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}) as a separate OS process on a
 * free loopback port (given as {@code PORT}), configured through environment variables as in
 * production: one replica of a multi-replica test. Needs {@code mvn package} first, so tests that
 * use it are {@code *IT}s. The output goes to {@code target/gateway-processes/<name>-<port>.log}. A
 * JVM shutdown hook kills whatever a crashed test left.
 */
public final class GatewayProcess implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(GatewayProcess.class);

  private static final String HOST = "127.0.0.1";
  private static final Path RUNNER = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final Path LOG_DIR = Path.of("target", "gateway-processes");
  private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "gateway-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final int port;
  private final Path logFile;

  private GatewayProcess(String name, Process process, int port, Path logFile) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /** {@link #start(String, Map)} with no extra environment: the in-memory default. */
  public static GatewayProcess start(String name) {
    return start(name, Map.of());
  }

  /**
   * Launches {@code java -jar target/quarkus-app/quarkus-run.jar} on a free port with the test
   * JVM's environment plus {@code env} and {@code PORT}, and waits (up to 30 s) until {@code
   * /q/health/live} answers 200. Fails with the log tail when the process exits first or is not
   * live in time.
   */
  public static GatewayProcess start(String name, Map<String, String> env) {
    if (!Files.isRegularFile(RUNNER)) {
      throw new IllegalStateException(
          RUNNER.toAbsolutePath() + " is missing: run `./mvnw package` first (ITs run after it)");
    }
    IllegalStateException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      GatewayProcess gateway = launch(name, RedisServer.freePort(), env);
      try {
        gateway.awaitLive();
        LOG.infof("gateway %s live on port %d, log %s", name, gateway.port, gateway.logFile);
        return gateway;
      } catch (PortInUseException e) {
        // The port was taken between choosing and binding it: choose another.
        lastFailure = e;
      } catch (RuntimeException | Error e) {
        gateway.kill();
        throw e;
      }
    }
    throw new IllegalStateException(
        "gateway " + name + " found no free port in " + START_ATTEMPTS + " attempts", lastFailure);
  }

  /** What a gateway that refused to start printed, and its exit code. */
  public record Refusal(int exitCode, String output) {}

  /**
   * Launches the gateway as {@link #start(String, Map)} does, for a configuration it must refuse:
   * waits (up to 30 s) for it to exit and returns how. Fails if it becomes live instead.
   */
  public static Refusal startRefused(String name, Map<String, String> env) {
    GatewayProcess gateway = launch(name, RedisServer.freePort(), env);
    try {
      if (!gateway.process.waitFor(LIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("gateway " + name + " did not exit; log " + gateway.logFile);
      }
      return new Refusal(gateway.process.exitValue(), Files.readString(gateway.logFile));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      gateway.kill();
    }
  }

  private static GatewayProcess launch(String name, int port, Map<String, String> env) {
    Path logFile = LOG_DIR.resolve(name + "-" + port + ".log").toAbsolutePath();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dquarkus.http.host=" + HOST,
            "-jar",
            RUNNER.toAbsolutePath().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
    builder.environment().putAll(env);
    // The port as the containers and Kubernetes give it, so every IT proves PORT is honoured.
    builder.environment().put("PORT", Integer.toString(port));
    try {
      Files.createDirectories(LOG_DIR);
      Process process = builder.start();
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      return new GatewayProcess(name, process, port, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch " + String.join(" ", command), e);
    }
  }

  private void awaitLive() {
    try {
      await("gateway " + name + " live on port " + port)
          .atMost(LIVE_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  String tail = logTail(LOG_TAIL_LINES);
                  String message =
                      "gateway "
                          + name
                          + " exited with code "
                          + process.exitValue()
                          + " before it was live; log "
                          + logFile
                          + ":\n"
                          + tail;
                  throw tail.contains("in use by another process")
                          || tail.contains("Address already in use")
                      ? new PortInUseException(message)
                      : new IllegalStateException(message);
                }
                return isLive();
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "gateway "
              + name
              + " not live on port "
              + port
              + " within "
              + LIVE_TIMEOUT
              + "; log "
              + logFile
              + ":\n"
              + logTail(LOG_TAIL_LINES),
          e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:P/} */
  public URI baseUri() {
    return URI.create("http://" + HOST + ":" + port + "/");
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The OS process id, to attach to the gateway's JVM or run {@code jcmd}. */
  public long pid() {
    return process.pid();
  }

  /** Whether {@code GET /q/health/live} answers 200 now. */
  public boolean isLive() {
    HttpRequest request =
        HttpRequest.newBuilder(baseUri().resolve("q/health/live"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The status of {@code GET /q/health/ready} now (200 or 503); -1 when it does not answer. */
  public int readinessStatus() {
    HttpRequest request =
        HttpRequest.newBuilder(baseUri().resolve("q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL, as a crashed or OOM-killed pod; returns once the process has exited. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("gateway " + name + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM, as Kubernetes sends on a rolling update; waits up to 10 s for a graceful exit and
   * returns the exit code. A process still running then is killed and this fails with its log tail.
   */
  public int stop() {
    process.destroy();
    try {
      if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
    throw new IllegalStateException(
        "gateway "
            + name
            + " did not exit within "
            + STOP_TIMEOUT
            + " of SIGTERM; log:\n"
            + logTail(LOG_TAIL_LINES));
  }

  /** SIGTERM without waiting: the test watches what the drain does meanwhile. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit; its exit code, or -1 when it is still running then. */
  public int awaitExit(Duration atMost) {
    try {
      if (process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  /** The last {@code lines} lines of the process output, for assertion messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log at " + logFile + ": " + e.getMessage() + ")";
    }
  }

  public Path logFile() {
    return logFile;
  }

  /** Kills the process if it still runs; the log stays under {@code target/gateway-processes}. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  @Override
  public String toString() {
    return "gateway " + name + "@" + HOST + ":" + port;
  }

  /** The process exited because its HTTP port was taken. */
  private static final class PortInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }
}
