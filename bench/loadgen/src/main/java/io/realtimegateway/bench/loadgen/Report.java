package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result: {@code {scenario, startedAt, parameters, metrics, errors, errorDetails, notes}}.
 * Every metric carries its unit: {@code {"value": 1234.5, "unit": "msg/s"}}, and a latency is
 * {@code {"unit": "ms", "count", "p50", "p90", "p99", "p999", "max", "mean"}}.
 */
final class Report {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root = JSON.createObjectNode();
  private final ObjectNode parameters;
  private final ObjectNode metrics;
  private final ObjectNode errorDetails;
  private final ArrayNode notes;
  private long errors;
  private boolean aborted;

  Report(String scenario) {
    root.put("scenario", scenario);
    root.put("startedAt", Instant.now().toString());
    parameters = root.putObject("parameters");
    metrics = root.putObject("metrics");
    root.put("errors", 0);
    errorDetails = root.putObject("errorDetails");
    notes = root.putArray("notes");
  }

  void parameter(String name, Object value) {
    parameters.set(name, JSON.valueToTree(value));
  }

  void metric(String group, String name, double value, String unit) {
    ObjectNode entry = group(group).putObject(name);
    entry.put("value", round(value));
    entry.put("unit", unit);
  }

  void count(String group, String name, long value, String unit) {
    ObjectNode entry = group(group).putObject(name);
    entry.put("value", value);
    entry.put("unit", unit);
  }

  /** Percentiles of a histogram of microseconds, written in milliseconds. */
  void latency(String group, String name, Histogram live) {
    // Clients may still be recording (a polling client's POSTs go on after the calls end), and a
    // histogram that changes while its percentiles are read throws ConcurrentModificationException.
    Histogram micros = live.copy();
    ObjectNode entry = group(group).putObject(name);
    entry.put("unit", "ms");
    entry.put("count", micros.getTotalCount());
    if (micros.getTotalCount() == 0) {
      return;
    }
    entry.put("p50", ms(micros.getValueAtPercentile(50)));
    entry.put("p90", ms(micros.getValueAtPercentile(90)));
    entry.put("p99", ms(micros.getValueAtPercentile(99)));
    entry.put("p999", ms(micros.getValueAtPercentile(99.9)));
    entry.put("max", ms(micros.getMaxValue()));
    entry.put("mean", round(micros.getMean() / 1_000.0));
  }

  /**
   * Counts toward {@code errors}; always listed, zero or not, so a reader sees what was checked.
   */
  void error(String name, long count) {
    errorDetails.put(name, count);
    errors += Math.max(0, count);
    root.put("errors", errors);
  }

  /** Marks the run as ended early; the exit code says so too. */
  void abort(String reason) {
    aborted = true;
    note("aborted: " + reason);
    error("aborted", 1);
  }

  boolean aborted() {
    return aborted;
  }

  void note(String text) {
    notes.add(text);
  }

  void detail(String name, Map<?, ?> values) {
    root.set(name, JSON.valueToTree(values));
  }

  long errors() {
    return errors;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode group(String name) {
    ObjectNode group = (ObjectNode) metrics.get(name);
    return group != null ? group : metrics.putObject(name);
  }

  private static double ms(long micros) {
    return round(micros / 1_000.0);
  }

  private static double round(double value) {
    return Math.round(value * 1_000.0) / 1_000.0;
  }
}
