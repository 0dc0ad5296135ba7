package io.realtimegateway.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The log records of some categories of the gateway running in this JVM (a {@code @QuarkusTest}),
 * from debug up, while it is open: a test that says how loud something is can read them. Quarkus'
 * log manager is a {@code java.util.logging} one, so a handler on a category sees its children's
 * records. Closing puts the levels back.
 */
public final class CapturedLog implements AutoCloseable {

  /** JBoss Logging's DEBUG, which is {@code java.util.logging}'s FINE. */
  public static final Level DEBUG = Level.FINE;

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Map<Logger, Level> previousLevels = new HashMap<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(List<String> categories) {
    handler.setLevel(DEBUG);
    for (String category : categories) {
      Logger logger = Logger.getLogger(category);
      previousLevels.put(logger, logger.getLevel());
      logger.setLevel(DEBUG);
      logger.addHandler(handler);
    }
  }

  /** Captures these categories (and their children) from debug up. */
  public static CapturedLog of(String... categories) {
    return new CapturedLog(List.of(categories));
  }

  /** Every record captured so far, oldest first. */
  public List<LogRecord> records() {
    return new ArrayList<>(records);
  }

  /** The records above debug (info, warnings, errors), as "LEVEL logger: message" for messages. */
  public List<String> aboveDebug() {
    return records.stream()
        .filter(record -> record.getLevel().intValue() > DEBUG.intValue())
        .map(CapturedLog::describe)
        .toList();
  }

  /** The formatted messages of the debug records. */
  public List<String> debugMessages() {
    return records.stream()
        .filter(record -> record.getLevel().intValue() == DEBUG.intValue())
        .map(CapturedLog::message)
        .toList();
  }

  private static String describe(LogRecord record) {
    return record.getLevel() + " " + record.getLoggerName() + ": " + message(record);
  }

  /** The message with its parameters filled in. */
  private static String message(LogRecord record) {
    if (record instanceof ExtLogRecord extended) {
      return extended.getFormattedMessage();
    }
    return new SimpleFormatter().formatMessage(record);
  }

  @Override
  public void close() {
    previousLevels.forEach(
        (logger, level) -> {
          logger.removeHandler(handler);
          logger.setLevel(level);
        });
  }
}
