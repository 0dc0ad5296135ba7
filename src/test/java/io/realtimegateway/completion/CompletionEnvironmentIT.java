package io.realtimegateway.completion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The streaming options set as Open WebUI users set them, by environment variable ({@code
 * GATEWAY_COMPLETION_STREAM}, {@code CHAT_RESPONSE_STREAM_DELTA_CHUNK_SIZE}), on the packaged
 * gateway: the other tests set them by their property names.
 */
class CompletionEnvironmentIT {

  @Test
  void streamFormatAndDeltaChunkSizeAreReadFromTheEnvironment() {
    Map<String, String> env =
        Map.of(
            "WEBUI_SECRET_KEY",
            Tokens.SECRET,
            "GATEWAY_COMPLETION_STREAM",
            "delta",
            "CHAT_RESPONSE_STREAM_DELTA_CHUNK_SIZE",
            "3");
    String userId = "environment-user";
    String token = Tokens.valid(userId, userId);
    try (GatewayProcess gateway = GatewayProcess.start("completion-environment", env);
        BrowserTab tab = BrowserTab.open(gateway.baseUri(), token)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  given()
                      .baseUri(gateway.baseUri().toString())
                      .queryParam("user_id", userId)
                      .get("/internal/v1/sessions")
                      .then()
                      .extract()
                      .jsonPath()
                      .getList("sessions.sid")
                      .contains(tab.sid()));
      String chatId = "chat-" + UUID.randomUUID();
      given()
          .baseUri(gateway.baseUri().toString())
          .header("Authorization", "Bearer " + token)
          .contentType(ContentType.JSON)
          .body(
              Map.of(
                  "model",
                  "echo",
                  "messages",
                  List.of(Map.of("role", "user", "content", "one two three four five six seven")),
                  "session_id",
                  tab.sid(),
                  "chat_id",
                  chatId,
                  "id",
                  "message-1"))
          .post("/api/chat/completions")
          .then()
          .statusCode(200);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ChatSession.objects(tab).stream().anyMatch(ChatSession::isInactive));
      List<JsonObject> events = ChatSession.objects(tab);
      // delta: Open WebUI 0.11.4's response:completion events, never whole-output snapshots.
      List<String> deltas =
          events.stream()
              .filter(event -> "response:completion".equals(ChatSession.type(event)))
              .map(ChatSession::data)
              .filter(data -> "response.output_text.delta".equals(data.getString("type")))
              .map(data -> data.getString("delta"))
              .toList();
      // Three words a delta: 3, 3, then the rest before the end.
      assertThat(deltas).containsExactly("one two three", " four five six", " seven");
      assertThat(events)
          .filteredOn(event -> "chat:completion".equals(ChatSession.type(event)))
          .allMatch(event -> !ChatSession.data(event).containsKey("output") || isFinal(event));
    }
  }

  private static boolean isFinal(JsonObject event) {
    return ChatSession.data(event).getBoolean("done", false);
  }
}
