package io.realtimegateway.completion;

import static io.realtimegateway.completion.ChatSession.data;
import static io.realtimegateway.completion.ChatSession.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FakeMcpServer;
import io.realtimegateway.support.McpServersProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An MCP server's tool in a chat task ({@code tool_ids: ["server:mcp:tools"]}), called by the echo
 * demo model's {@code /call}: the image it returns reaches the tab as a {@code files} event and the
 * model reads {@code [image]}.
 */
@QuarkusTest
@TestProfile(McpServersProfile.class)
class McpToolCallTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void anMcpImageBecomesAFilesEventAndTheModelReadsAPlaceholder() {
    try (ChatSession chat = ChatSession.open(gateway, "mcp-tool-user")) {
      Map<String, Object> body = chat.body("echo", "/call tools_render_chart {}");
      body.put("tool_ids", List.of("server:mcp:tools"));
      chat.start(body);
      List<JsonObject> events = chat.awaitInactive();

      JsonObject files =
          events.stream()
              .filter(event -> "files".equals(type(event)))
              .map(ChatSession::data)
              .findFirst()
              .orElseThrow();
      JsonObject file = files.getJsonArray("files").getJsonObject(0);
      assertThat(file.getString("type")).isEqualTo("image");
      assertThat(file.getString("url")).startsWith("data:image/png;base64,");
      JsonArray output =
          events.stream()
              .filter(e -> "chat:completion".equals(type(e)) && data(e).getBoolean("done", false))
              .map(e -> data(e).getJsonArray("output"))
              .findFirst()
              .orElseThrow();
      JsonObject result = output.getJsonObject(2);
      assertThat(result.getString("type")).isEqualTo("function_call_output");
      assertThat(result.getString("status")).isEqualTo("completed");
      String forModel = result.getJsonArray("output").getJsonObject(0).getString("text");
      assertThat(forModel).contains("[image]").doesNotContain("base64");
      assertThat(chat.types()).containsSubsequence("status", "files", "source", "status");
    }
  }

  @Test
  void aStopDuringAnMcpToolCallTellsTheServerToCancelIt() {
    FakeMcpServer server = McpServersProfile.TOOLS;
    int before = server.cancelled().size();
    try (ChatSession chat = ChatSession.open(gateway, "mcp-stop-user")) {
      Map<String, Object> body = chat.body("echo", "/call tools_slow_count {\"seconds\": 20}");
      body.put("tool_ids", List.of("server:mcp:tools"));
      String taskId = chat.start(body);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.calls().contains("slow_count"));

      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/stop/" + taskId)
          .then()
          .statusCode(200);
      chat.awaitInactive();

      // MCP's notifications/cancelled, naming the request of that tools/call.
      await().atMost(Duration.ofSeconds(5)).until(() -> server.cancelled().size() > before);
      JsonObject cancelled = new JsonObject(server.cancelled().get(before));
      assertThat(cancelled.getValue("requestId")).isNotNull();
      assertThat(cancelled.getString("reason")).contains("no longer waits");
      assertThat(server.finished()).doesNotContain("slow_count 20");
    }
  }
}
