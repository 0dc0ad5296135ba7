package io.realtimegateway.tool.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FakeMcpServer;
import io.realtimegateway.support.McpServersProfile;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResult;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * MCP tool servers against real MCP servers over streamable HTTP ({@link FakeMcpServer}, the SDK's
 * server side): listing, calls and their content, the call timeout, a server down at start-up and
 * one that dies during a call.
 */
@QuarkusTest
@TestProfile(McpServersProfile.class)
class McpToolServersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Inject McpToolServers servers;

  @Test
  void listsTheSelectedServersToolsUnderOpenWebUisNamesWithTheirSpecs() throws Exception {
    Map<String, Tool> tools = toolsOf("server:mcp:tools");

    assertThat(tools)
        .containsOnlyKeys(
            "tools_render_chart",
            "tools_get_weather",
            "tools_slow_count",
            "tools_broken_tool",
            "tools_fetch_document");
    Tool weather = tools.get("tools_get_weather");
    assertThat(weather.spec())
        .isEqualTo(
            JSON.readTree(
                """
                {"name": "tools_get_weather",
                 "description": "Current weather of a city, as JSON.",
                 "parameters": {"type": "object",
                                "properties": {"city": {"type": "string",
                                                        "description": "City name"}},
                                "required": ["city"]}}
                """));
    assertThat(weather.origin()).isEqualTo("Fake tools");
    assertThat(McpServersProfile.TOOLS.authorizations())
        .isNotEmpty()
        .containsOnly("Bearer " + McpServersProfile.KEY);
  }

  @Test
  void ignoresToolIdsThatAreNotMcpConnectionsOfThisGateway() {
    assertThat(
            join(servers.tools(List.of("server:3", "server:mcp:nobody", "builtin", "server:mcp"))))
        .isEmpty();
    assertThat(join(servers.tools(List.of()))).isEmpty();
  }

  @Test
  void anImageToolGivesItsImagePart() throws Exception {
    ToolResult.Mcp result = call("server:mcp:tools", "tools_render_chart", "{}");

    assertThat(result.content())
        .containsExactly(
            JSON.createObjectNode()
                .put("type", "image")
                .put("data", FakeMcpServer.PNG_BASE64)
                .put("mimeType", "image/png"));
    assertThat(result.structured()).isNull();
    assertThat(result.isError()).isFalse();
  }

  @Test
  void aJsonTextToolGivesItsTextAndStructuredContent() throws Exception {
    ToolResult.Mcp result = call("server:mcp:tools", "tools_get_weather", "{\"city\": \"Oslo\"}");

    assertThat(result.content())
        .containsExactly(
            JSON.createObjectNode()
                .put("type", "text")
                .put("text", FakeMcpServer.weatherJson("Oslo")));
    assertThat(result.structured())
        .isEqualTo(JSON.readTree("{\"city\": \"Oslo\", \"temperature_c\": 21.5}"));
    assertThat(result.isError()).isFalse();
  }

  @Test
  void aFailingToolGivesAResultFlaggedAsError() throws Exception {
    ToolResult.Mcp result = call("server:mcp:tools", "tools_broken_tool", "{}");

    assertThat(result.isError()).isTrue();
    assertThat(result.content())
        .containsExactly(
            JSON.createObjectNode().put("type", "text").put("text", "the tool failed on purpose"));
  }

  @Test
  void aCallTheServerRefusesFailsWithItsErrorAndTheSessionStays() throws Exception {
    McpTool weather = (McpTool) toolsOf("server:mcp:tools").get("tools_get_weather");
    McpTool gone =
        new McpTool("tools_gone", weather.spec(), weather.origin(), "gone", weather.server());

    assertThatThrownBy(() -> join(gone.call(args("{}"))))
        .isInstanceOf(McpToolException.class)
        .hasMessageStartingWith("MCP server Fake tools refused the call to gone: ");
    assertThat(call("server:mcp:tools", "tools_get_weather", "{\"city\": \"Kyiv\"}").isError())
        .isFalse();
  }

  @Test
  void resourcePartsKeepMcpsJson() throws Exception {
    ToolResult.Mcp result = call("server:mcp:tools", "tools_fetch_document", "{}");

    assertThat(result.content())
        .containsExactly(
            JSON.readTree(
                """
                {"type": "resource",
                 "resource": {"uri": "file:///notes/a.md", "mimeType": "text/markdown",
                              "text": "# Notes"}}
                """),
            JSON.readTree(
                """
                {"type": "resource_link", "name": "b.md", "uri": "file:///notes/b.md",
                 "mimeType": "text/markdown"}
                """));
  }

  @Test
  void aSlowToolFailsAfterTheCallTimeoutAndTheServerStaysUsable() throws Exception {
    Tool slow = toolsOf("server:mcp:tools").get("tools_slow_count");
    long start = System.nanoTime();

    assertThatThrownBy(() -> join(slow.call(args("{\"seconds\": 10}"))))
        .hasMessage("MCP tool slow_count of Fake tools did not answer within 2000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));

    assertThat(call("server:mcp:tools", "tools_get_weather", "{\"city\": \"Rome\"}").isError())
        .isFalse();
  }

  /**
   * What SDK 2.1.0 allows: the caller is released at once, but the server is not told, so the tool
   * runs to its end; the session stays usable.
   */
  @Test
  void cancellingACallReleasesTheCallerWhileTheServerFinishesTheTool() throws Exception {
    Tool slow = toolsOf("server:mcp:tools").get("tools_slow_count");
    int before = count(McpServersProfile.TOOLS.calls(), "slow_count");
    CompletableFuture<ToolResult> pending =
        slow.call(args("{\"seconds\": 1.5}")).subscribeAsCompletionStage();
    await().atMost(WAIT).until(() -> count(McpServersProfile.TOOLS.calls(), "slow_count") > before);

    pending.cancel(false);

    assertThat(pending).isCancelled();
    await().atMost(WAIT).until(() -> McpServersProfile.TOOLS.finished().contains("slow_count 1.5"));
    assertThat(call("server:mcp:tools", "tools_get_weather", "{\"city\": \"Bern\"}").isError())
        .isFalse();
  }

  @Test
  void aServerDownAtStartUpGivesNoToolsUntilItAnswers() {
    assertThat(join(servers.tools(List.of("server:mcp:later")))).isEmpty();

    try (FakeMcpServer later = FakeMcpServer.start(McpServersProfile.LATER_PORT, null)) {
      await()
          .atMost(WAIT)
          .until(
              () -> join(servers.tools(List.of("server:mcp:later"))),
              tools -> tools.stream().anyMatch(tool -> tool.name().equals("later_get_weather")));
    }
  }

  @Test
  void aServerThatDiesDuringACallFailsThatCallOnlyAndTheNextCallReconnects() throws Exception {
    FakeMcpServer crashy = FakeMcpServer.start(McpServersProfile.CRASHY_PORT, null);
    Map<String, Tool> tools;
    try {
      tools = toolsOf("server:mcp:crashy");
      CompletableFuture<ToolResult> dying =
          tools
              .get("crashy_slow_count")
              .call(args("{\"seconds\": 30}"))
              .subscribeAsCompletionStage();
      CompletableFuture<ToolResult> elsewhere =
          toolsOf("server:mcp:tools")
              .get("tools_slow_count")
              .call(args("{\"seconds\": 1}"))
              .subscribeAsCompletionStage();
      await().atMost(WAIT).until(() -> crashy.calls().contains("slow_count"));

      crashy.close();

      assertThatThrownBy(() -> dying.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(McpToolException.class)
          .hasMessageStartingWith("MCP server Crashy failed the call to slow_count: ");
      assertThat(elsewhere.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(
              new ToolResult.Mcp(
                  List.of(JSON.createObjectNode().put("type", "text").put("text", "done")),
                  null,
                  false));
      assertThatThrownBy(() -> join(tools.get("crashy_get_weather").call(args("{}"))))
          .isInstanceOf(McpToolException.class)
          .hasMessageStartingWith("MCP server Crashy failed the call to get_weather: ");
    } finally {
      crashy.close();
    }

    try (FakeMcpServer restarted = FakeMcpServer.start(McpServersProfile.CRASHY_PORT, null)) {
      ToolResult.Mcp result =
          (ToolResult.Mcp) join(tools.get("crashy_get_weather").call(args("{\"city\": \"Lima\"}")));
      assertThat(result.isError()).isFalse();
      assertThat(restarted.calls()).containsExactly("get_weather");
    }
  }

  /**
   * The tools of a server that is up, once listed: a listing that failed (the first one, at
   * start-up, can pass the short call timeout while the JVM warms up) is retried a few seconds on.
   */
  private Map<String, Tool> toolsOf(String toolId) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                join(servers.tools(List.of(toolId))).stream()
                    .collect(Collectors.toMap(Tool::name, Function.identity())),
            tools -> !tools.isEmpty());
  }

  private ToolResult.Mcp call(String toolId, String name, String arguments) throws Exception {
    Tool tool = toolsOf(toolId).get(name);
    assertThat(tool).as(name).isNotNull();
    return (ToolResult.Mcp) join(tool.call(args(arguments)));
  }

  private static ObjectNode args(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private static <T> T join(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  private static int count(List<String> calls, String name) {
    return (int) calls.stream().filter(name::equals).count();
  }
}
