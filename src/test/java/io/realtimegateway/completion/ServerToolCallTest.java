package io.realtimegateway.completion;

import static io.realtimegateway.completion.ChatSession.data;
import static io.realtimegateway.completion.ChatSession.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FakeToolServer;
import io.realtimegateway.support.ToolServerProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side OpenAPI tools in a chat task ({@code tool_ids: ["server:0"]}), called by the echo
 * demo model's {@code /call}: the result's events reach the tab, and a stop cancels the call.
 */
@QuarkusTest
@TestProfile(ToolServerProfile.class)
class ServerToolCallTest {

  private static final FakeToolServer TOOLS = ToolServerProfile.SERVER;

  @TestHTTPResource("/")
  URI gateway;

  @BeforeEach
  void clear() {
    TOOLS.clear();
  }

  private static Map<String, Object> call(ChatSession chat, String command) {
    Map<String, Object> body = chat.body("echo", command);
    body.put("tool_ids", List.of("server:0"));
    return body;
  }

  @Test
  void inlineHtmlOfAToolServerBecomesAnEmbedBetweenAPairOfStatusEvents() {
    try (ChatSession chat = ChatSession.open(gateway, "server-tool-user")) {
      chat.start(call(chat, "/call show_card {}"));
      List<JsonObject> events = chat.awaitInactive();

      List<String> types = chat.types();
      int calling = types.indexOf("status");
      int embeds = types.indexOf("embeds");
      int source = types.indexOf("source");
      int called = types.lastIndexOf("status");
      assertThat(calling).isLessThan(embeds);
      assertThat(embeds).isLessThan(source);
      assertThat(source).isLessThan(called);
      assertThat(types.stream().filter("status"::equals).count()).isEqualTo(2);
      assertThat(data(events.get(calling)).getBoolean("done")).isFalse();
      assertThat(data(events.get(called)).getBoolean("done")).isTrue();
      assertThat(data(events.get(embeds)).getJsonArray("embeds").getString(0)).contains("<");
      JsonObject done =
          events.stream()
              .filter(e -> "chat:completion".equals(type(e)) && data(e).getBoolean("done", false))
              .map(ChatSession::data)
              .findFirst()
              .orElseThrow();
      JsonArray output = done.getJsonArray("output");
      JsonObject result = output.getJsonObject(2);
      assertThat(result.getString("type")).isEqualTo("function_call_output");
      assertThat(result.getString("status")).isEqualTo("completed");
      assertThat(TOOLS.seen()).anyMatch(seen -> seen.uri().startsWith("/card"));
    }
  }

  /**
   * The events of the README's "Try a tool with curl", each reduced to what the README lists: its
   * type, and for an output snapshot its newest item; snapshots of one item growing word by word
   * count once.
   */
  @Test
  void aClientReceivesExactlyTheEventsTheReadmeLists() {
    try (ChatSession chat = ChatSession.open(gateway, "server-readme-user")) {
      chat.start(call(chat, "/call get_weather {\"city\": \"Oslo\"}"));
      List<JsonObject> events = chat.awaitInactive();

      List<String> shown = new ArrayList<>();
      for (JsonObject event : events) {
        String line = readmeLine(event);
        if (shown.isEmpty() || !shown.get(shown.size() - 1).equals(line)) {
          shown.add(line);
        }
      }
      assertThat(shown)
          .containsExactly(
              "chat:active true",
              "chat:completion output message in_progress",
              "chat:completion usage",
              "chat:completion output function_call in_progress",
              "status done=false",
              "chat:completion output function_call completed",
              "source",
              "chat:completion output function_call_output completed",
              "status done=true",
              "chat:completion output message in_progress",
              "chat:completion usage",
              "chat:completion done",
              "chat:active false");
    }
  }

  private static String readmeLine(JsonObject event) {
    String type = type(event);
    JsonObject data = data(event);
    switch (type) {
      case "chat:active":
        return type + " " + data.getBoolean("active");
      case "status":
        return type + " done=" + data.getBoolean("done");
      case "chat:completion":
        if (data.getBoolean("done", false)) {
          return type + " done";
        }
        if (!data.containsKey("output")) {
          return type + " " + String.join(",", data.fieldNames());
        }
        JsonArray output = data.getJsonArray("output");
        JsonObject newest = output.getJsonObject(output.size() - 1);
        return type + " output " + newest.getString("type") + " " + newest.getString("status");
      default:
        return type;
    }
  }

  @Test
  void aStopDuringASlowToolCancelsTheCallAndTheReply() {
    try (ChatSession chat = ChatSession.open(gateway, "server-slow-user")) {
      String taskId = chat.start(call(chat, "/call slow_operation {}"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> TOOLS.seen().stream().anyMatch(seen -> seen.uri().startsWith("/slow")));

      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/stop/" + taskId)
          .then()
          .statusCode(200);
      chat.awaitInactive();

      assertThat(chat.types()).contains("chat:tasks:cancel");
      await().atMost(Duration.ofSeconds(2)).until(() -> !TOOLS.slowClosed().isEmpty());
    }
  }

  @Test
  void aToolServerThatDoesNotAnswerInTimeFailsTheCallAndTheReplyGoesOn() {
    try (ChatSession chat = ChatSession.open(gateway, "server-timeout-user")) {
      chat.start(call(chat, "/call slow_operation {}"));
      List<JsonObject> events = chat.awaitInactive();

      JsonObject called =
          events.stream()
              .filter(e -> "status".equals(type(e)) && data(e).getBoolean("done"))
              .map(ChatSession::data)
              .findFirst()
              .orElseThrow();
      assertThat(called.getBoolean("error")).isTrue();
      JsonArray output =
          events.stream()
              .filter(e -> "chat:completion".equals(type(e)) && data(e).getBoolean("done", false))
              .map(e -> data(e).getJsonArray("output"))
              .findFirst()
              .orElseThrow();
      assertThat(output.getJsonObject(2).getString("status")).isEqualTo("failed");
      assertThat(output.getJsonObject(3).getString("type")).isEqualTo("message");
    }
  }
}
