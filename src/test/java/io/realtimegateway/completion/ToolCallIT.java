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
import org.junit.jupiter.api.Test;

/**
 * A direct tool call across replicas sharing a real Redis: the task runs on replica A, the tab that
 * runs the tool is connected to replica B; the call and its answer cross over Redis.
 */
class ToolCallIT {

  @Test
  void aTabOnAnotherReplicaAnswersTheToolCallOfATask() {
    try (RedisServer redis = RedisServer.start();
        FakeModelServer model = FakeModelServer.start()) {
      model.scriptNext(
          Reply.tokens(0, 100)
              .withTokens(List.of())
              .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")));
      model.scriptNext(Reply.tokens(1, 100).withTokens(List.of("Sunny in Paris.")));
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
      try (GatewayProcess runner = GatewayProcess.start("tools-runner", env);
          GatewayProcess holder = GatewayProcess.start("tools-holder", env)) {
        String token = Tokens.valid("tools-cross-user", "Cross");
        BrowserTab tab = BrowserTab.open(holder.baseUri(), token);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> redis.command("HGET", "open-webui:session_pool", tab.sid()) != null);
        List<Object> calls = new CopyOnWriteArrayList<>();
        tab.answerCalls(
            payload -> {
              calls.add(payload);
              return new Object[] {
                new JSONArray(List.of(new JSONObject(Map.of("sky", "sunny")), new JSONObject()))
              };
            });
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
                    tab.sid(),
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

        await().atMost(Duration.ofSeconds(15)).until(() -> finalOutput(tab, chatId) != null);
        assertThat(calls).hasSize(1);
        JsonArray output = finalOutput(tab, chatId);
        JsonObject result = output.getJsonObject(1);
        assertThat(result.getString("type")).isEqualTo("function_call_output");
        assertThat(result.getString("status")).isEqualTo("completed");
        assertThat(result.getJsonArray("output").getJsonObject(0).getString("text"))
            .contains("sunny");
        assertThat(
                output.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("text"))
            .isEqualTo("Sunny in Paris.");
        tab.close();
      }
    }
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
