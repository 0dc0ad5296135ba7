package io.realtimegateway.completion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.FakeModelServer;
import io.realtimegateway.support.FakeModelServer.Reply;
import io.realtimegateway.support.FakeModelServer.ToolCall;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Direct tool calls across replicas sharing a real Redis: the task runs on replica A, the tab named
 * to run the tool is connected to replica B; the call and its answer cross over Redis, and only a
 * tab of the user who asked is ever called (the shared session pool says whose a tab is).
 */
class ToolCallIT {

  private static RedisServer redis;
  private static FakeModelServer model;
  private static GatewayProcess runner;
  private static GatewayProcess holder;

  @BeforeAll
  static void startReplicas() {
    redis = RedisServer.start();
    model = FakeModelServer.start();
    Map<String, String> env =
        Map.of(
            "WEBSOCKET_MANAGER",
            "redis",
            "REDIS_URL",
            redis.url(),
            "WEBUI_SECRET_KEY",
            Tokens.SECRET,
            "OPENAI_API_BASE_URL",
            model.baseUrl());
    runner = GatewayProcess.start("tools-runner", env);
    holder = GatewayProcess.start("tools-holder", env);
  }

  @AfterAll
  static void stopReplicas() {
    for (AutoCloseable closeable : new AutoCloseable[] {holder, runner, model, redis}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          // the others still close
        }
      }
    }
  }

  @Test
  void aTabOnAnotherReplicaAnswersTheToolCallOfATask() {
    model.reset();
    model.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")));
    model.scriptNext(Reply.tokens(1, 100).withTokens(List.of("Sunny in Paris.")));
    String token = Tokens.valid("tools-cross-user", "Cross");
    try (BrowserTab tab = openOnHolder(token)) {
      List<Object> calls = answerWithSunshine(tab);
      String chatId = startWithWeatherTool(token, tab.sid());

      await().atMost(Duration.ofSeconds(15)).until(() -> finalOutput(tab, chatId) != null);
      assertThat(calls).hasSize(1);
      JsonArray output = finalOutput(tab, chatId);
      JsonObject result = output.getJsonObject(1);
      assertThat(result.getString("type")).isEqualTo("function_call_output");
      assertThat(result.getString("status")).isEqualTo("completed");
      assertThat(result.getJsonArray("output").getJsonObject(0).getString("text"))
          .contains("sunny");
      assertThat(output.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("text"))
          .isEqualTo("Sunny in Paris.");
    }
  }

  @Test
  void anotherUsersTabOnAnotherReplicaIsNeverCalled() {
    model.reset();
    model.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\":\"Rome\"}")));
    model.scriptNext(Reply.tokens(1, 100).withTokens(List.of("Refused.")));
    String intruderToken = Tokens.valid("tools-intruder", "Intruder");
    try (BrowserTab victim = openOnHolder(Tokens.valid("tools-victim", "Victim"));
        BrowserTab intruder = openOnHolder(intruderToken)) {
      List<Object> victimCalls = answerWithSunshine(victim);
      // The intruder's task on replica A names the victim's tab on replica B.
      String chatId = startWithWeatherTool(intruderToken, victim.sid());

      await().atMost(Duration.ofSeconds(15)).until(() -> finalOutput(intruder, chatId) != null);
      JsonObject result = finalOutput(intruder, chatId).getJsonObject(1);
      assertThat(result.getString("status")).isEqualTo("failed");
      assertThat(result.getJsonArray("output").getJsonObject(0).getString("text"))
          .contains("Client session disconnected.");
      assertThat(victimCalls).isEmpty();
      assertThat(victim.events()).isEmpty();
    }
  }

  /** A tab on replica B, once the shared session pool lists it. */
  private static BrowserTab openOnHolder(String token) {
    BrowserTab tab = BrowserTab.open(holder.baseUri(), token);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("HGET", "open-webui:session_pool", tab.sid()) != null);
    return tab;
  }

  private static List<Object> answerWithSunshine(BrowserTab tab) {
    List<Object> calls = new CopyOnWriteArrayList<>();
    tab.answerCalls(
        payload -> {
          calls.add(payload);
          return new Object[] {
            new JSONArray(List.of(new JSONObject(Map.of("sky", "sunny")), new JSONObject()))
          };
        });
    return calls;
  }

  /** Starts a reply on replica A whose direct tool runs in the tab {@code sessionId}. */
  private static String startWithWeatherTool(String token, String sessionId) {
    String chatId = "chat-" + UUID.randomUUID();
    given()
        .baseUri(runner.baseUri().toString())
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "model",
                "fake-model",
                "messages",
                List.of(Map.of("role", "user", "content", "Weather?")),
                "session_id",
                sessionId,
                "chat_id",
                chatId,
                "id",
                "message-1",
                "tool_servers",
                List.of(
                    Map.of(
                        "url",
                        "http://tools.example",
                        "specs",
                        List.of(
                            Map.of(
                                "name",
                                "get_weather",
                                "parameters",
                                Map.of(
                                    "type",
                                    "object",
                                    "properties",
                                    Map.of("city", Map.of("type", "string")))))))))
        .post("/api/chat/completions")
        .then()
        .statusCode(200);
    return chatId;
  }

  private static JsonArray finalOutput(BrowserTab tab, String chatId) {
    return ChatSession.objects(tab).stream()
        .filter(event -> chatId.equals(event.getString("chat_id")))
        .filter(event -> "chat:completion".equals(ChatSession.type(event)))
        .map(ChatSession::data)
        .filter(data -> data.getBoolean("done", false))
        .map(data -> data.getJsonArray("output"))
        .findFirst()
        .orElse(null);
  }
}
