package io.realtimegateway.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.RedisModeProfile;
import io.realtimegateway.support.RedisModeResource;
import io.realtimegateway.support.Tokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard queries only metrics the gateway serves. Runs in Redis mode, where every
 * gateway metric exists, after the traffic that makes the lazily filled ones show values.
 */
@QuarkusTest
@TestProfile(RedisModeProfile.class)
class DashboardMetricsTest {

  static final Path DASHBOARD = Path.of("k8s/grafana/realtime-gateway.json");

  /** PromQL words that look like metric names. */
  private static final Set<String> KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern LABELS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void everyMetricTheDashboardQueriesIsServed() throws Exception {
    Set<String> queried = queriedMetrics();
    assertThat(queried)
        .as("the dashboard's queries")
        .contains("gateway_sockets", "gateway_calls_seconds_bucket", "gateway_draining");

    String user = "metrics-" + UUID.randomUUID();
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid(user, "Metrics"))) {
      GatewayApi.awaitSession(user, tab.sid());
      tab.answerCalls(payload -> new Object[] {new JSONObject(Map.of("ok", true))});
      GatewayApi.emit(Map.of("event", "events", "room", "user:" + user, "data", Map.of("n", 1)))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> !tab.events().isEmpty());
      GatewayApi.call(Map.of("session_id", tab.sid(), "data", Map.of("type", "metrics")))
          .statusCode(200)
          .body("result.ok", equalTo(true));
      tab.socket().emit("heartbeat", new JSONObject());

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                String metrics = metrics();
                Set<String> missing = new TreeSet<>(queried);
                missing.removeAll(servedNames(metrics));
                assertThat(missing).as("queried by the dashboard, not on /q/metrics").isEmpty();
                assertThat(value(metrics, "gateway_sockets_authenticated")).isGreaterThan(0);
                assertThat(value(metrics, "gateway_events_in_total{event=\"heartbeat\"}"))
                    .isGreaterThan(0);
                assertThat(value(metrics, "gateway_events_out_total{event=\"events\"}"))
                    .isGreaterThan(0);
                assertThat(value(metrics, "gateway_emits_total")).isGreaterThan(0);
                assertThat(value(metrics, "gateway_deliveries_total")).isGreaterThan(0);
                assertThat(value(metrics, "gateway_calls_seconds_count{outcome=\"answered\"}"))
                    .isGreaterThan(0);
                assertThat(value(metrics, "gateway_redis_subscribed{subscription=\"manager\"}"))
                    .isEqualTo(1);
                assertThat(value(metrics, "gateway_jobs_runs_total{name=\"usage-pool-cleanup\"}"))
                    .isGreaterThan(0);
                assertThat(value(metrics, "gateway_jobs_lock_held{lock=\"usage_cleanup_lock\"}"))
                    .isEqualTo(1);
              });
    }
    assertThat(value(metrics(), "gateway_draining")).isEqualTo(0);
  }

  @Test
  void metricNamesAreReadFromPromQl() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{outcome=\"x\","
                    + " instance=~\"$instance\"}[$__rate_interval]))) / on (job) b_total"
                    + " + max without (pod) (c)"))
        .containsExactlyInAnyOrder("a_seconds_bucket", "b_total", "c");
  }

  @Test
  void anUnknownClientEventIsCountedAsOtherAndMakesNoMeter() {
    String event = "made-up-" + UUID.randomUUID();
    double before = value(metrics(), "gateway_events_in_total{event=\"other\"}");
    try (BrowserTab tab = BrowserTab.open(gateway, null)) {
      tab.socket().emit(event, new JSONObject());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> value(metrics(), "gateway_events_in_total{event=\"other\"}") > before);
    }
    assertThat(metrics()).doesNotContain(event);
  }

  @Test
  void aLostSubscriptionIsCountedWhenItComesBack() {
    String resubscribed = "gateway_redis_resubscriptions_total{subscription=\"task-commands\"}";
    String errors = "gateway_redis_subscription_errors_total{subscription=\"task-commands\"}";
    String subscribed = "gateway_redis_subscribed{subscription=\"task-commands\"}";
    await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), subscribed) == 1);
    String before = metrics();
    RedisModeResource.server().command("CLIENT", "KILL", "TYPE", "pubsub");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String metrics = metrics();
              assertThat(value(metrics, resubscribed)).isGreaterThan(value(before, resubscribed));
              assertThat(value(metrics, errors)).isGreaterThan(value(before, errors));
              assertThat(value(metrics, subscribed)).isEqualTo(1);
            });
  }

  /** The metric names in every query of the dashboard: its panels' and its variables'. */
  static Set<String> queriedMetrics() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    Set<String> names = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      names.addAll(metricNames(expr.asText()));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher labelValues = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (labelValues.find()) {
        names.add(labelValues.group(1));
      }
    }
    return names;
  }

  /**
   * The metric names of a PromQL expression: what is left once strings, label matchers, ranges and
   * grouping clauses are gone, except function names (followed by a parenthesis), keywords and
   * numbers.
   */
  static Set<String> metricNames(String expr) {
    String bare = STRING.matcher(expr).replaceAll(" ");
    bare = LABELS.matcher(bare).replaceAll(" ");
    bare = RANGE.matcher(bare).replaceAll(" ");
    bare = GROUPING.matcher(bare).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = IDENTIFIER.matcher(bare);
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!KEYWORDS.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static String metrics() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The names of the samples in a Prometheus text exposition. */
  private static Set<String> servedNames(String metrics) {
    Set<String> names = new TreeSet<>();
    for (String line : metrics.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  /** The value of the sample whose line starts with {@code series}; 0 when there is none. */
  private static double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }
}
