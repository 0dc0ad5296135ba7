package io.realtimegateway.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;

/**
 * A real {@code redis-server} process on a free loopback port, in a fresh temporary directory, with
 * persistence off. Tests read and write keys through {@link #command} the way another process (Open
 * WebUI's Python backend) would, and kill, pause, stop and restart the server to test reconnection.
 * The process output goes to a {@code .log} file in the server's directory, not to the test output.
 * {@link #close} kills the process and deletes the directory; a JVM shutdown hook kills whatever a
 * crashed test left.
 */
public final class RedisServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisServer.class);

  private static final String HOST = "127.0.0.1";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  private static final int PROBE_TIMEOUT_MILLIS = 500;
  private static final int START_ATTEMPTS = 5;

  /** Live processes, killed by the shutdown hook; directories, deleted by it. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  /**
   * Ports handed out by this JVM: a killed server keeps its port for {@link #restart}, so no other
   * server of this JVM may take it meanwhile.
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LIVE.forEach(Process::destroyForcibly);
                  DIRECTORIES.forEach(RedisServer::deleteQuietly);
                },
                "redis-server-reaper"));
  }

  /**
   * Builds the command line of one launch of a server.
   *
   * <p>{@code fresh} is true for each attempt of a first start (each on a new port) and false for
   * {@link #restart}, which must find the server's own files as it left them.
   */
  @FunctionalInterface
  interface Launcher {
    List<String> command(int port, Path dir, boolean fresh) throws IOException;
  }

  /** An error reply ({@code -ERR ...}, {@code -MOVED ...}) of a Redis server. */
  public static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private final String name;
  private final Launcher launcher;
  private final Path dir;
  private final Path logFile;
  private volatile int port;
  private volatile Process process;

  private RedisServer(String name, Launcher launcher) throws IOException {
    this.name = name;
    this.launcher = launcher;
    this.dir = Files.createTempDirectory(name + "-");
    DIRECTORIES.add(dir);
    this.logFile = dir.resolve(name + ".log");
  }

  /**
   * Starts {@code redis-server --bind 127.0.0.1 --port P --save "" --appendonly no --dir <tmp>}
   * followed by {@code extraArgs} (for instance {@code "--replicaof", "127.0.0.1", "6380"}), and
   * waits until it answers PING.
   */
  public static RedisServer start(String... extraArgs) {
    List<String> extra = List.of(extraArgs);
    return start(
        "redis",
        (port, dir, fresh) -> {
          List<String> command = new ArrayList<>(defaultArgs(port, dir));
          command.addAll(extra);
          return command;
        });
  }

  /** Starts a server whose command line {@code launcher} builds; see {@link Launcher}. */
  static RedisServer start(String name, Launcher launcher) {
    RedisServer server;
    try {
      server = new RedisServer(name, launcher);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      server.startOnFreePort();
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /**
   * {@code redis-server} with the loopback-only, persistence-free defaults of every test server.
   */
  static List<String> defaultArgs(int port, Path dir) {
    return List.of(
        "redis-server",
        "--bind",
        HOST,
        "--port",
        String.valueOf(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir.toString());
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:P}, the form {@code quarkus.redis.hosts} takes. */
  public String url() {
    return "redis://" + HOST + ":" + port;
  }

  /** The server's own temporary directory (its files and its log). */
  public Path dir() {
    return dir;
  }

  public boolean isAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /**
   * Sends one command and returns its reply: {@code String} for simple and bulk strings, {@code
   * Long} for integers, {@code List<Object>} for arrays, {@code null} for nil.
   *
   * @throws ErrorReply on an error reply
   * @throws UncheckedIOException when the server cannot be reached
   */
  public Object command(String... args) {
    return commandAt(port, args);
  }

  /** {@link #command} against any server on {@code 127.0.0.1:port}, over a new connection. */
  public static Object commandAt(int port, String... args) {
    return commandAt(port, READ_TIMEOUT_MILLIS, args);
  }

  private static Object commandAt(int port, int readTimeoutMillis, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), CONNECT_TIMEOUT_MILLIS);
      socket.setSoTimeout(readTimeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return readReply(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis command " + Arrays.toString(args) + " on port " + port + " failed", e);
    }
  }

  /** SIGKILL, as a crashed or OOM-killed Redis; returns once the process has exited. */
  public void kill() {
    Process current = process;
    if (current == null) {
      return;
    }
    current.destroyForcibly();
    awaitExit(current);
  }

  /**
   * SIGSTOP: the process stays, its sockets stay open and the kernel still accepts connections, but
   * nothing is answered: a hung server or a paused VM rather than a crash. {@link #resume} lets it
   * go on; commands sent meanwhile are answered then.
   */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    Process current = process;
    if (current == null || !current.isAlive()) {
      throw new IllegalStateException(this + " is not running");
    }
    try {
      int exit =
          new ProcessBuilder("kill", "-" + name, String.valueOf(current.pid()))
              .redirectErrorStream(true)
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + name + " " + current.pid() + " exited " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code SHUTDOWN NOSAVE}; falls back to SIGKILL when the server does not exit in time. */
  public void stop() {
    Process current = process;
    if (current == null || !current.isAlive()) {
      return;
    }
    try {
      command("SHUTDOWN", "NOSAVE");
    } catch (UncheckedIOException | ErrorReply e) {
      // SHUTDOWN answers by closing the connection: no reply is the expected outcome.
    }
    try {
      if (!current.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        current.destroyForcibly();
        awaitExit(current);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      current.destroyForcibly();
    }
  }

  /**
   * Starts the server again on the same port (stopping it first if it still runs) and waits until
   * it answers PING. With persistence off it comes back empty, as a restarted Redis without a
   * volume does.
   */
  public void restart() {
    stop();
    PortInUseException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        launch(port, false);
        return;
      } catch (PortInUseException e) {
        // Another process holds the port for now (a client's ephemeral port): wait and retry.
        lastFailure = e;
        sleep(Duration.ofMillis(500));
      }
    }
    throw new IllegalStateException(name + " could not restart on port " + port, lastFailure);
  }

  /** Kills the process and deletes the server's directory. */
  @Override
  public void close() {
    kill();
    deleteQuietly(dir);
    DIRECTORIES.remove(dir);
    HANDED_OUT.remove(port);
  }

  @Override
  public String toString() {
    return name + "@" + HOST + ":" + port;
  }

  private void startOnFreePort() {
    PortInUseException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int candidate = freePort();
      try {
        launch(candidate, true);
        return;
      } catch (PortInUseException e) {
        // The port was taken between choosing and binding it: choose another.
        lastFailure = e;
      }
    }
    throw new IllegalStateException(
        name + " found no free port in " + START_ATTEMPTS + " attempts", lastFailure);
  }

  private void launch(int candidate, boolean fresh) {
    List<String> command;
    try {
      command = launcher.command(candidate, dir, fresh);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long logOffset = logSize();
    Process started;
    try {
      started =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + command.get(0) + " (apt-get install redis-server)", e);
    }
    LIVE.add(started);
    started.onExit().thenRun(() -> LIVE.remove(started));
    port = candidate;
    process = started;
    try {
      await(this + " answers PING")
          .atMost(STARTUP_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(25))
          .until(() -> answersPing(started, candidate));
    } catch (ProcessExitedException e) {
      String output = logSince(logOffset);
      if (output.contains("Address already in use")) {
        throw new PortInUseException(this + " could not bind its port:\n" + output);
      }
      throw new IllegalStateException(e.getMessage() + "; log:\n" + output, e);
    } catch (ConditionTimeoutException e) {
      started.destroyForcibly();
      throw new IllegalStateException(
          this
              + " did not answer PING within "
              + STARTUP_TIMEOUT
              + "; log:\n"
              + logSince(logOffset),
          e);
    }
    LOG.debugf("%s started, log %s", this, logFile);
  }

  private boolean answersPing(Process started, int candidate) {
    if (!started.isAlive()) {
      throw new ProcessExitedException(
          this + " exited with code " + started.exitValue() + " before answering PING");
    }
    try {
      // A short read timeout: whatever holds the port without answering must not hide an exit.
      return "PONG".equals(commandAt(candidate, PROBE_TIMEOUT_MILLIS, "PING"));
    } catch (UncheckedIOException | ErrorReply e) {
      // Not listening yet, or still loading: ask again.
      return false;
    }
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** What the process wrote since {@code offset}: the output of the latest launch. */
  private String logSince(long offset) {
    try {
      byte[] bytes = Files.readAllBytes(logFile);
      int from = (int) Math.min(offset, bytes.length);
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void awaitExit(Process current) {
    try {
      if (!current.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("process " + current.pid() + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A loopback port nothing listens on now: bind port 0, read the port, close. Ports already handed
   * out by this JVM are skipped, so every process helper of this package takes its ports here.
   */
  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        int candidate = socket.getLocalPort();
        if (HANDED_OUT.add(candidate)) {
          return candidate;
        }
      } catch (IOException e) {
        // Binding port 0 failed (rare, transient): try again.
      }
    }
    throw new IllegalStateException("no free loopback port");
  }

  private static byte[] encode(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeAscii(out, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      writeAscii(out, "$" + bytes.length + "\r\n");
      out.writeBytes(bytes);
      writeAscii(out, "\r\n");
    }
    return out.toByteArray();
  }

  private static void writeAscii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static Object readReply(InputStream in) throws IOException {
    int type = in.read();
    if (type == -1) {
      throw new EOFException("connection closed before a reply");
    }
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(length);
          if (bytes.length != length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("truncated bulk string");
          }
          return new String(bytes, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            items.add(readReply(in));
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP type '" + (char) type + "': " + line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int next = in.read();
      if (next == -1) {
        throw new EOFException("connection closed inside a reply");
      }
      if (previous == '\r' && next == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(next);
      previous = next;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a temp dir left behind is harmless.
    }
  }

  /** The process exited before it answered PING. */
  private static final class ProcessExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProcessExitedException(String message) {
      super(message);
    }
  }

  /** The process exited because its port (or cluster bus port) was taken. */
  private static final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }
}
