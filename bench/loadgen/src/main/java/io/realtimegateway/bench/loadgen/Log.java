package io.realtimegateway.bench.loadgen;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Progress lines on stderr. Stdout carries only the result JSON, so a caller can pipe it into jq
 * while still watching the run.
 */
final class Log {

  private static final PrintStream ERR = System.err;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private Log() {}

  static void info(String format, Object... args) {
    line("INFO ", format, args);
  }

  static void warn(String format, Object... args) {
    line("WARN ", format, args);
  }

  static void error(String format, Object... args) {
    line("ERROR", format, args);
  }

  private static void line(String level, String format, Object... args) {
    String time = LocalTime.now().truncatedTo(ChronoUnit.MILLIS).format(TIME);
    ERR.println(time + " " + level + " [loadgen] " + String.format(format, args));
  }
}
