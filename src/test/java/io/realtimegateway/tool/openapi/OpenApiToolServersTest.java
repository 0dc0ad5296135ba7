package io.realtimegateway.tool.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FakeToolServer;
import io.realtimegateway.support.ToolServerProfile;
import io.realtimegateway.tool.ProcessedToolResult;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolEvent;
import io.realtimegateway.tool.ToolResult;
import io.realtimegateway.tool.ToolResultProcessor;
import io.realtimegateway.tool.ToolServerConnection;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI tool servers against {@link FakeToolServer}, with the results through the real
 * processor: the functions offered, each kind of answer, the call timeout, a stop during a call, a
 * broken spec, ids that are not ours, a server nobody listens on.
 */
@QuarkusTest
@TestProfile(ToolServerProfile.class)
class OpenApiToolServersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject OpenApiToolServers servers;
  @Inject ToolResultProcessor processor;
  @Inject ObjectMapper json;
  @Inject Vertx vertx;

  private final FakeToolServer fake = ToolServerProfile.SERVER;

  @BeforeEach
  void forgetRequests() {
    fake.clear();
  }

  private Tool tool(String name) {
    return servers.tools(List.of("server:0")).await().atMost(WAIT).stream()
        .filter(tool -> tool.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The requests of calls: spec reads (at start-up, a refresh) are left out. */
  private List<FakeToolServer.Seen> calls() {
    return fake.seen().stream().filter(seen -> !seen.uri().endsWith(".json")).toList();
  }

  private ObjectNode args(String text) {
    try {
      return (ObjectNode) json.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ProcessedToolResult callAndProcess(String name, String arguments) {
    ObjectNode parsed = args(arguments);
    ToolResult result = tool(name).call(parsed).await().atMost(WAIT);
    return processor.process(name, parsed, result);
  }

  @Test
  void offersEveryOperationAsAFunctionWithItsParameters() {
    List<Tool> tools = servers.tools(List.of("server:0")).await().atMost(WAIT);

    assertThat(tools)
        .extracting(Tool::name)
        .containsExactly("get_weather", "show_card", "slow_operation", "post_orders");
    assertThat(tools).extracting(Tool::origin).containsOnly("fake tools");
    assertThat(tool("get_weather").spec())
        .isEqualTo(
            args(
                "{'name': 'get_weather', 'description': 'Current weather of a city', 'parameters':"
                    + " {'type': 'object', 'properties': {'city': {'type': 'string', 'description':"
                    + " 'City name'}, 'units': {'type': 'string', 'enum': ['metric', 'imperial']}},"
                    + " 'required': ['city']}}"));
    assertThat(tool("show_card").spec().path("description").asText())
        .isEqualTo("Shows a weather card");
    assertThat(tool("post_orders").spec().path("parameters"))
        .isEqualTo(
            args(
                "{'type': 'object', 'properties': {'item': {'type': 'string'}, 'quantity':"
                    + " {'type': 'integer'}, 'note': {'type': 'string', 'description': 'Free"
                    + " text'}}, 'required': ['item']}"));
  }

  @Test
  void callsAJsonOperationWithPathAndQueryParametersAndTheKey() {
    ProcessedToolResult result =
        callAndProcess("get_weather", "{'city': 'Oslo Centre', 'units': 'imperial'}");

    assertThat(result.failed()).isFalse();
    assertThat(result.forModel())
        .isEqualTo("{\"city\":\"Oslo Centre\",\"units\":\"imperial\",\"temperature\":21}");
    assertThat(result.events()).extracting(ToolEvent::type).containsExactly("source");
    assertThat(calls())
        .containsExactly(
            new FakeToolServer.Seen(
                "GET",
                "/weather/Oslo%20Centre?units=imperial",
                "Bearer " + FakeToolServer.KEY,
                ""));
  }

  @Test
  void inlineHtmlBecomesAnEmbed() {
    ProcessedToolResult result = callAndProcess("show_card", "{}");

    assertThat(result.failed()).isFalse();
    assertThat(result.events()).extracting(ToolEvent::type).containsExactly("embeds", "source");
    assertThat(result.events().get(0).data().path("embeds").get(0).asText())
        .isEqualTo("<div class=\"card\">21°</div>");
    assertThat(result.forModel()).contains("shown to the user");
  }

  @Test
  void aFailingOperationIsAFailedCallWithItsStatusAndBody() {
    ProcessedToolResult result = callAndProcess("post_orders", "{'item': 'tea', 'quantity': 2}");

    assertThat(result.failed()).isTrue();
    assertThat(result.forModel())
        .isEqualTo("Tool call failed (HTTP 500): {\"detail\":\"the order service is down\"}");
    assertThat(calls())
        .extracting(FakeToolServer.Seen::method, FakeToolServer.Seen::uri)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/orders"));
    assertThat(args(calls().get(0).body())).isEqualTo(args("{'item': 'tea', 'quantity': 2}"));
  }

  @Test
  void aSlowOperationFailsAtTheCallTimeoutAndItsRequestIsClosed() {
    Tool slow = tool("slow_operation");
    long start = System.nanoTime();

    assertThatThrownBy(() -> slow.call(args("{}")).await().atMost(WAIT))
        .isInstanceOf(ToolServerException.class)
        .hasMessage("slow_operation: the tool server did not answer within 3 s");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    await().atMost(WAIT).until(() -> fake.slowClosed().contains("/slow"));
  }

  @Test
  void cancellingACallAbortsItsRequest() {
    Tool slow = tool("slow_operation");
    AtomicReference<Object> outcome = new AtomicReference<>();
    Cancellable call = slow.call(args("{}")).subscribe().with(outcome::set, outcome::set);
    await().atMost(WAIT).until(() -> !calls().isEmpty());
    long cancelledAt = System.nanoTime();

    call.cancel();

    // Well before the 3 s call timeout: the close comes from the cancel.
    await().atMost(Duration.ofMillis(2500)).until(() -> fake.slowClosed().contains("/slow"));
    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(3));
    assertThat(outcome.get()).isNull();
  }

  @Test
  void aBrokenSpecIsSkippedWithAWarningNamingTheServer() {
    Queue<String> warnings = new ConcurrentLinkedQueue<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(
                  record instanceof ExtLogRecord ext
                      ? ext.getFormattedMessage()
                      : record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger("io.realtimegateway.tool");
    logger.addHandler(handler);
    try {
      servers.refresh().await().atMost(WAIT);
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(warnings)
        .anySatisfy(
            warning ->
                assertThat(warning)
                    .contains("\"broken tools\" (server:1, " + fake.baseUrl() + "/broken.json)")
                    .contains("skipped")
                    .contains("not JSON"));
    assertThat(warnings).anySatisfy(warning -> assertThat(warning).contains("\"dead tools\""));
    assertThat(servers.tools(List.of("server:1")).await().atMost(WAIT)).isEmpty();
  }

  @Test
  void idsOfOtherProvidersAndUnknownIdsAreIgnored() {
    List<Tool> tools =
        servers
            .tools(
                List.of(
                    "server:9",
                    "server:2",
                    "server:3",
                    "server:mcp:m1",
                    "server:",
                    "server:x1",
                    "weather",
                    "server:0",
                    "server:0"))
            .await()
            .atMost(WAIT);

    assertThat(tools).hasSize(4).extracting(Tool::origin).containsOnly("fake tools");
    assertThat(servers.servers().keySet()).containsExactlyInAnyOrder(0, 1, 4);
  }

  @Test
  void aServerNobodyListensOnGivesNoToolsAndFailedCalls() {
    assertThat(servers.tools(List.of("server:4")).await().atMost(WAIT)).isEmpty();

    ToolServerConnection dead =
        new ToolServerConnection(
            4,
            "openapi",
            "http://127.0.0.1:" + ToolServerProfile.DEAD_PORT,
            "openapi.json",
            "none",
            Optional.empty(),
            "4",
            "dead tools");
    OpenApiOperation weather = operation("get_weather");
    OpenApiClient client = new OpenApiClient(vertx, json, Duration.ofSeconds(3), 1 << 20);
    try {
      assertThatThrownBy(
              () -> client.call(dead, weather, args("{'city': 'Oslo'}")).await().atMost(WAIT))
          .isInstanceOf(ToolServerException.class)
          .hasMessageContaining("cannot be reached");
    } finally {
      client.close();
    }
  }

  @Test
  void anAnswerAboveTheLimitFailsTheCall() {
    ToolServerConnection good = servers.servers().get(0);
    OpenApiClient client = new OpenApiClient(vertx, json, Duration.ofSeconds(3), 10);
    try {
      assertThatThrownBy(
              () ->
                  client
                      .call(good, operation("get_weather"), args("{'city': 'Oslo'}"))
                      .await()
                      .atMost(WAIT))
          .isInstanceOf(ToolServerException.class)
          .hasMessage("get_weather: the answer is larger than the limit of 10 bytes");
    } finally {
      client.close();
    }
  }

  @Test
  void aMissingPathParameterFailsTheCallWithoutARequest() {
    assertThatThrownBy(() -> tool("get_weather").call(args("{}")).await().atMost(WAIT))
        .isInstanceOf(ToolServerException.class)
        .hasMessage("missing path parameter \"city\"");
    assertThat(calls()).isEmpty();
  }

  private OpenApiOperation operation(String name) {
    OpenApiClient client = new OpenApiClient(vertx, json, Duration.ofSeconds(3), 1 << 20);
    JsonNode spec;
    try {
      spec = client.spec(servers.servers().get(0)).await().atMost(WAIT);
    } finally {
      client.close();
    }
    return OpenApiSpecs.operations(spec, "test").stream()
        .filter(operation -> operation.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
