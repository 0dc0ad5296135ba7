package io.realtimegateway.bench.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Entry point: {@code java -jar loadgen.jar <scenario> --url http://127.0.0.1:PORT [options]}.
 * Prints the result JSON on stdout (and to {@code --out}); progress goes to stderr. Exit code 0
 * when the scenario ran (its errors are in the JSON), 1 when it was aborted, 2 on a bad command
 * line, 3 when the watchdog had to end a run that overstayed its bound.
 */
public final class LoadGen {

  private LoadGen() {}

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      Log.error("%s", e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    startWatchdog(options.maxRuntimeSeconds());
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(options.effectiveEventLoops() + 1)
                .setWorkerPoolSize(2)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    int code = 0;
    try {
      Report report = new Scenarios(vertx, options).run();
      String json = report.toJson();
      // the result is the program's output; everything else went to stderr
      PrintStream out = System.out;
      out.println(json);
      out.flush();
      if (options.out() != null) {
        Files.writeString(Path.of(options.out()), json + System.lineSeparator());
      }
      Log.info("errors: %d", report.errors());
      code = report.aborted() ? 1 : 0;
    } catch (IOException | RuntimeException e) {
      Log.error("run failed: %s", e);
      code = 1;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        Log.warn("Vert.x did not close in 10 s: %s", e);
      }
    }
    System.exit(code);
  }

  /** Every step is bounded already; this is the last resort that guarantees the process ends. */
  private static void startWatchdog(long seconds) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
              } catch (InterruptedException e) {
                return;
              }
              Log.error("watchdog: still running after %d s, exiting", seconds);
              Runtime.getRuntime().halt(3);
            },
            "loadgen-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
