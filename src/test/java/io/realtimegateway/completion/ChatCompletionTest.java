package io.realtimegateway.completion;

import static io.realtimegateway.completion.ChatSession.data;
import static io.realtimegateway.completion.ChatSession.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.FakeModelServer;
import io.realtimegateway.support.FakeModelServer.Reply;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.ModelServerProfile;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat completions against a model server ({@link FakeModelServer}): the events a tab receives
 * while a reply streams, stops and failures, and the direct API.
 */
@QuarkusTest
@TestProfile(ModelServerProfile.class)
class ChatCompletionTest {

  private static final FakeModelServer SERVER = ModelServerProfile.SERVER;

  @TestHTTPResource("/")
  URI gateway;

  @BeforeEach
  void resetServer() {
    SERVER.reset();
    SERVER.defaultReply(Reply.tokens(5, 50));
  }

  @Test
  void streamsTheReplyInOrderAndTheFinalEventCarriesTheWholeOutput() {
    SERVER.scriptNext(Reply.tokens(5, 50).withUsage());
    try (ChatSession chat = ChatSession.open(gateway, "stream-user")) {
      Map<String, Object> body = chat.body("fake-model", "Count to five");
      body.put("folder_id", "folder-1");
      body.put("params", Map.of("temperature", 0.5));
      chat.post(body)
          .statusCode(200)
          .body("status", equalTo(true))
          .body("chat_id", equalTo(chat.chatId))
          .body("task_ids.size()", equalTo(1));
      List<JsonObject> events = chat.awaitInactive();

      assertThat(chat.types())
          .containsExactly(
              "chat:active",
              "chat:completion",
              "chat:completion",
              "chat:completion",
              "chat:completion",
              "chat:completion",
              "chat:completion",
              "chat:completion",
              "chat:active");
      assertThat(events).allMatch(event -> chat.messageId.equals(event.getString("message_id")));
      JsonObject active = data(events.get(0));
      assertThat(active.getBoolean("active")).isTrue();
      assertThat(active.getString("folder_id")).isEqualTo("folder-1");
      // One snapshot per delta (chunk size 1), each holding the whole text so far.
      for (int i = 1; i <= 5; i++) {
        JsonArray output = data(events.get(i)).getJsonArray("output");
        assertThat(output.size()).isEqualTo(1);
        JsonObject item = output.getJsonObject(0);
        assertThat(item.getString("type")).isEqualTo("message");
        assertThat(item.getString("role")).isEqualTo("assistant");
        assertThat(item.getString("status")).isEqualTo("in_progress");
        assertThat(text(item)).isEqualTo(expected(i));
      }
      assertThat(data(events.get(6)).getJsonObject("usage").getInteger("completion_tokens"))
          .isEqualTo(5);
      JsonObject done = data(events.get(7));
      assertThat(done.getBoolean("done")).isTrue();
      assertThat(done.getString("title")).isEmpty();
      assertThat(done.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(10);
      JsonObject item = done.getJsonArray("output").getJsonObject(0);
      assertThat(item.getString("status")).isEqualTo("completed");
      assertThat(text(item)).isEqualTo("t0 t1 t2 t3 t4 ");
      assertThat(item.getString("id"))
          .isEqualTo(data(events.get(1)).getJsonArray("output").getJsonObject(0).getString("id"));
      assertThat(data(events.get(8)).getBoolean("active")).isFalse();
      assertThat(chat.taskIds()).isEmpty();

      FakeModelServer.Request sent = SERVER.completionRequests().get(0);
      assertThat(sent.authorization()).isEqualTo("Bearer " + ModelServerProfile.API_KEY);
      assertThat(sent.body().getBoolean("stream")).isTrue();
      assertThat(sent.body().getString("model")).isEqualTo("fake-model");
      assertThat(sent.body().getDouble("temperature")).isEqualTo(0.5);
      assertThat(sent.body().getJsonArray("messages").getJsonObject(0).getString("content"))
          .isEqualTo("Count to five");
      assertThat(sent.body().fieldNames())
          .doesNotContain("session_id", "chat_id", "id", "folder_id", "params");
    }
  }

  @Test
  void gathersDeltasPerStreamDeltaChunkSize() {
    SERVER.scriptNext(Reply.tokens(7, 100));
    try (ChatSession chat = ChatSession.open(gateway, "chunk-user")) {
      Map<String, Object> body = chat.body("fake-model", "seven");
      body.put("params", Map.of("stream_delta_chunk_size", 3));
      chat.start(body);
      chat.awaitInactive();
      List<String> snapshots =
          chat.events().stream()
              .filter(e -> type(e).equals("chat:completion") && data(e).containsKey("output"))
              .filter(e -> !data(e).getBoolean("done", false))
              .map(e -> text(data(e).getJsonArray("output").getJsonObject(0)))
              .toList();
      // 3 + 3 deltas, then the last one flushed before the final event.
      assertThat(snapshots).containsExactly(expected(3), expected(6), expected(7));
    }
  }

  @Test
  void reasoningComesAsItsOwnItemBeforeTheMessage() {
    SERVER.scriptNext(Reply.tokens(2, 100).withReasoning(List.of("Let me ", "think.")));
    try (ChatSession chat = ChatSession.open(gateway, "reasoning-user")) {
      chat.start("fake-model", "think first");
      chat.awaitInactive();
      JsonObject done = doneEvent(chat);
      JsonArray output = done.getJsonArray("output");
      assertThat(output.size()).isEqualTo(2);
      assertThat(output.getJsonObject(0).getString("type")).isEqualTo("reasoning");
      assertThat(text(output.getJsonObject(0))).isEqualTo("Let me think.");
      assertThat(output.getJsonObject(0).getString("status")).isEqualTo("completed");
      assertThat(output.getJsonObject(1).getString("type")).isEqualTo("message");
      assertThat(text(output.getJsonObject(1))).isEqualTo("t0 t1 ");
    }
  }

  @Test
  void stopByTaskIdCancelsWithThePartialOutputAndClosesTheModelServerRequest() {
    SERVER.scriptNext(Reply.tokens(400, 20));
    try (ChatSession chat = ChatSession.open(gateway, "stop-user")) {
      String taskId = chat.start("fake-model", "talk a lot");
      chat.awaitFirst("chat:completion");
      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/stop/" + taskId)
          .then()
          .statusCode(200)
          .body("status", equalTo(true));
      assertStoppedMidReply(chat);
    }
  }

  @Test
  void stopByChatCancelsWithThePartialOutputAndClosesTheModelServerRequest() {
    SERVER.scriptNext(Reply.tokens(400, 20));
    try (ChatSession chat = ChatSession.open(gateway, "stop-chat-user")) {
      chat.start("fake-model", "talk a lot");
      chat.awaitFirst("chat:completion");
      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/chat/" + chat.chatId + "/stop")
          .then()
          .statusCode(200)
          .body("status", equalTo(true));
      assertStoppedMidReply(chat);
    }
  }

  private void assertStoppedMidReply(ChatSession chat) {
    List<JsonObject> events = chat.awaitInactive();
    List<String> types = chat.types();
    int cancel = types.indexOf("chat:tasks:cancel");
    assertThat(cancel).as("events %s", types).isPositive();
    assertThat(types.subList(cancel + 1, types.size())).containsExactly("chat:active");
    assertThat(events).noneMatch(e -> data(e).getBoolean("done", false));
    JsonArray output = data(events.get(cancel)).getJsonArray("output");
    assertThat(output.size()).isEqualTo(1);
    assertThat(output.getJsonObject(0).getString("status")).isEqualTo("incomplete");
    assertThat(text(output.getJsonObject(0))).startsWith("t0 ");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(SERVER.closedStreams()).hasSize(1));
    assertThat(SERVER.completedStreams()).isEmpty();
    assertThat(chat.taskIds()).isEmpty();
  }

  @Test
  void aReplyStoppedBeforeItsFirstTokenIsStillCancelled() {
    SERVER.scriptNext(Reply.tokens(3, 20).withFirstTokenDelay(Duration.ofSeconds(30)));
    try (ChatSession chat = ChatSession.open(gateway, "early-stop-user")) {
      String taskId = chat.start("fake-model", "slow start");
      // The model server has the request and has not answered a token yet.
      await().atMost(Duration.ofSeconds(10)).until(() -> SERVER.completionRequests().size() == 1);
      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/stop/" + taskId)
          .then()
          .statusCode(200);
      chat.awaitInactive();
      assertThat(chat.types()).containsExactly("chat:active", "chat:tasks:cancel", "chat:active");
      assertThat(data(chat.events().get(1)).getJsonArray("output").size()).isZero();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(SERVER.closedStreams()).hasSize(1));
    }
  }

  @Test
  void anErrorStatusOfTheModelServerIsAMessageErrorThenACancel() {
    SERVER.scriptNext(Reply.tokens(3, 20).withStatus(500));
    try (ChatSession chat = ChatSession.open(gateway, "error-user")) {
      chat.start("fake-model", "fail please");
      chat.awaitInactive();
      assertThat(chat.types())
          .containsExactly("chat:active", "chat:message:error", "chat:tasks:cancel", "chat:active");
      JsonObject error = data(chat.events().get(1));
      assertThat(error.getBoolean("done")).isTrue();
      assertThat(error.getJsonObject("error").getString("content"))
          .contains("500")
          .contains("scripted failure 500");
      assertThat(chat.taskIds()).isEmpty();
    }
  }

  @Test
  void malformedServerSentEventsFailTheReplyKeepingWhatCameBefore() {
    SERVER.scriptNext(Reply.tokens(10, 50).malformedAfter(2));
    try (ChatSession chat = ChatSession.open(gateway, "malformed-user")) {
      chat.start("fake-model", "break the stream");
      assertFailedAfterTwoTokens(chat);
    }
  }

  @Test
  void malformedServerSentEventsEndOnlyTheirOwnTask() {
    try (ChatSession healthy = ChatSession.open(gateway, "beside-malformed-user");
        ChatSession broken = ChatSession.open(gateway, "beside-malformed-user")) {
      // The healthy reply asks first, so it gets the first script; it streams for about 2 s.
      Reply whole = Reply.tokens(40, 20);
      SERVER.scriptNext(whole);
      healthy.start("fake-model", "keep streaming");
      healthy.awaitFirst("chat:completion");
      SERVER.scriptNext(Reply.tokens(10, 50).malformedAfter(2));
      broken.start("fake-model", "break the stream");

      assertFailedAfterTwoTokens(broken);
      // The other reply, of the same user, was still streaming when the broken one ended.
      assertThat(healthy.taskIds()).hasSize(1);
      List<JsonObject> events = healthy.awaitInactive();
      assertThat(healthy.types()).doesNotContain("chat:message:error", "chat:tasks:cancel");
      JsonObject done = doneEvent(healthy);
      assertThat(text(done.getJsonArray("output").getJsonObject(0))).isEqualTo(whole.text());
      assertThat(ChatSession.isInactive(events.get(events.size() - 1))).isTrue();
      assertThat(SERVER.completedStreams())
          .anyMatch(
              request ->
                  request
                      .body()
                      .getJsonArray("messages")
                      .getJsonObject(0)
                      .getString("content")
                      .equals("keep streaming"));
    }
  }

  @Test
  void chatActiveFalseComesOnceTheChatsLastTaskHasEnded() {
    try (ChatSession chat = ChatSession.open(gateway, "two-tasks-user")) {
      // A long reply first (about 3 s), then a short one in the same chat, which ends first.
      SERVER.scriptNext(Reply.tokens(60, 20));
      String longTask = chat.start("fake-model", "the long answer");
      await().atMost(Duration.ofSeconds(10)).until(() -> SERVER.completionRequests().size() == 1);
      SERVER.scriptNext(Reply.tokens(2, 50));
      Map<String, Object> shortBody = chat.body("fake-model", "the short answer");
      String shortMessage = "msg-short-" + java.util.UUID.randomUUID();
      shortBody.put("id", shortMessage);
      String shortTask = chat.start(shortBody);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> doneIndex(chat.events(), shortMessage) >= 0);
      await().atMost(Duration.ofSeconds(10)).until(() -> !chat.taskIds().contains(shortTask));
      assertThat(chat.taskIds()).as("the long reply still runs").containsExactly(longTask);

      List<JsonObject> events = chat.awaitInactive();
      // Events of one chat reach a tab in order: an inactive sent when the short reply ended would
      // be here, before the long reply's final event.
      assertThat(events.stream().filter(ChatSession::isInactive)).hasSize(1);
      assertThat(ChatSession.isInactive(events.get(events.size() - 1))).isTrue();
      assertThat(doneIndex(events, chat.messageId)).isEqualTo(events.size() - 2);
      assertThat(chat.taskIds()).isEmpty();
    }
  }

  /** The index of the final {@code chat:completion {done}} of one message, or -1. */
  private static int doneIndex(List<JsonObject> events, String messageId) {
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.get(i);
      if (messageId.equals(event.getString("message_id"))
          && "chat:completion".equals(type(event))
          && data(event).getBoolean("done", false)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aStreamThatBreaksOffFailsTheReply() {
    SERVER.scriptNext(Reply.tokens(10, 50).droppingAfter(2));
    try (ChatSession chat = ChatSession.open(gateway, "dropped-user")) {
      chat.start("fake-model", "drop the connection");
      assertFailedAfterTwoTokens(chat);
    }
  }

  @Test
  void aStreamThatGoesSilentFailsAfterTheIdleTimeout() {
    SERVER.scriptNext(Reply.tokens(10, 50).silentAfter(2));
    try (ChatSession chat = ChatSession.open(gateway, "silent-user")) {
      chat.start("fake-model", "go quiet");
      assertFailedAfterTwoTokens(chat);
      // The gateway gave up on the request: the model server sees it closed.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(SERVER.closedStreams()).hasSize(1));
    }
  }

  private static void assertFailedAfterTwoTokens(ChatSession chat) {
    chat.awaitInactive();
    List<String> types = chat.types();
    assertThat(types.subList(types.size() - 3, types.size()))
        .containsExactly("chat:message:error", "chat:tasks:cancel", "chat:active");
    assertThat(types).doesNotContain("chat:completion:done");
    JsonObject cancel = data(chat.events().get(types.size() - 2));
    JsonObject item = cancel.getJsonArray("output").getJsonObject(0);
    assertThat(text(item)).isEqualTo("t0 t1 ");
    assertThat(item.getString("status")).isEqualTo("incomplete");
    assertThat(chat.events())
        .noneMatch(e -> data(e).getBoolean("done", false) && data(e).containsKey("output"));
  }

  @Test
  void aTabThatDisconnectsDoesNotStopTheReplyAndAReconnectingTabFindsTheTask() {
    SERVER.scriptNext(Reply.tokens(40, 20));
    try (ChatSession chat = ChatSession.open(gateway, "reconnect-user")) {
      String taskId = chat.start("fake-model", "keep going");
      chat.awaitFirst("chat:completion");
      chat.tab.close();
      // A new tab of the same user, as after a page reload: it asks which tasks the chat has.
      try (BrowserTab reconnected = BrowserTab.open(gateway, chat.token)) {
        GatewayApi.awaitSession(chat.userId, reconnected.sid());
        assertThat(chat.taskIds()).containsExactly(taskId);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> ChatSession.objects(reconnected).stream().anyMatch(ChatSession::isInactive));
        JsonObject done =
            ChatSession.objects(reconnected).stream()
                .filter(e -> data(e).getBoolean("done", false))
                .map(ChatSession::data)
                .findFirst()
                .orElseThrow();
        assertThat(text(done.getJsonArray("output").getJsonObject(0)))
            .isEqualTo(Reply.tokens(40, 20).text());
      }
      assertThat(SERVER.closedStreams()).isEmpty();
      assertThat(SERVER.completedStreams()).hasSize(1);
    }
  }

  @Test
  void withoutSessionAndChatTheModelServersStreamIsPassedThrough() {
    SERVER.scriptNext(Reply.tokens(3, 100).withUsage());
    String body =
        given()
            .header("Authorization", "Bearer " + Tokens.valid("direct-user", "D"))
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "model",
                    "fake-model",
                    "stream",
                    true,
                    "messages",
                    List.of(Map.of("role", "user", "content", "hi"))))
            .post("/api/v1/chat/completions")
            .then()
            .statusCode(200)
            .header("Content-Type", containsString("text/event-stream"))
            .extract()
            .asString();
    List<String> contents =
        body.lines()
            .filter(line -> line.startsWith("data: {"))
            .map(line -> new JsonObject(line.substring("data: ".length())))
            .filter(chunk -> !chunk.getJsonArray("choices").isEmpty())
            .map(
                chunk ->
                    chunk
                        .getJsonArray("choices")
                        .getJsonObject(0)
                        .getJsonObject("delta")
                        .getString("content"))
            .filter(content -> content != null)
            .toList();
    assertThat(String.join("", contents)).isEqualTo("t0 t1 t2 ");
    assertThat(body).contains("\"usage\"").endsWith("data: [DONE]\n\n");
    assertThat(SERVER.completionRequests().get(0).body().getBoolean("stream")).isTrue();
  }

  @Test
  void withoutSessionAndChatANonStreamingRequestGetsTheModelServersJson() {
    SERVER.scriptNext(Reply.tokens(3, 100));
    given()
        .header("Authorization", "Bearer " + Tokens.valid("direct-user", "D"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "model",
                "fake-model",
                "stream",
                false,
                "messages",
                List.of(Map.of("role", "user", "content", "hi"))))
        .post("/api/chat/completions")
        .then()
        .statusCode(200)
        .body("object", equalTo("chat.completion"))
        .body("choices[0].message.content", equalTo("t0 t1 t2 "));
  }

  @Test
  void aDirectRequestGetsTheModelServersErrorStatus() {
    SERVER.scriptNext(Reply.tokens(3, 100).withStatus(429));
    given()
        .header("Authorization", "Bearer " + Tokens.valid("direct-user", "D"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "model", "fake-model", "messages", List.of(Map.of("role", "user", "content", "x"))))
        .post("/api/chat/completions")
        .then()
        .statusCode(429)
        .body("detail", containsString("scripted failure 429"));
  }

  @Test
  void modelsListsTheModelServersModelsAndEcho() {
    for (String path : List.of("/api/models", "/api/v1/models")) {
      given()
          .header("Authorization", "Bearer " + Tokens.valid("models-user", "M"))
          .get(path)
          .then()
          .statusCode(200)
          .body("data.id", hasItems("fake-model", "echo"))
          .body("data.find { it.id == 'echo' }.name", equalTo("Echo (demo)"))
          .body("data.find { it.id == 'echo' }.owned_by", equalTo("realtime-gateway"))
          .body("data.find { it.id == 'fake-model' }.owned_by", equalTo("fake"));
    }
    given().get("/api/models").then().statusCode(401).body("detail", equalTo("Not authenticated"));
  }

  @Test
  void badInputIsRefusedWithTheFieldAndNeverA500() {
    String token = Tokens.valid("bad-input-user", "B");
    List<Map<String, Object>> messages = List.of(Map.of("role", "user", "content", "x"));
    refused(token, Map.of("messages", messages), 400, "model");
    refused(token, Map.of("model", 42, "messages", messages), 400, "model");
    refused(token, Map.of("model", "fake-model"), 400, "messages");
    refused(token, Map.of("model", "fake-model", "messages", "hello"), 400, "messages");
    refused(token, Map.of("model", "fake-model", "messages", List.of(1, 2)), 400, "messages");
    refused(
        token, Map.of("model", "fake-model", "messages", messages, "stream", "yes"), 400, "stream");
    refused(
        token,
        Map.of(
            "model",
            "fake-model",
            "messages",
            messages,
            "params",
            Map.of("stream_delta_chunk_size", -1)),
        400,
        "params.stream_delta_chunk_size");
    refused(
        token,
        Map.of("model", "fake-model", "messages", messages, "session_id", "s", "chat_id", "c"),
        400,
        "id");
    refused(token, Map.of("model", "no-such-model", "messages", messages), 404, "Model not found");
    given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body("{\"model\": ")
        .post("/api/chat/completions")
        .then()
        .statusCode(400)
        .body("detail", containsString("JSON"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("model", "fake-model", "messages", messages))
        .post("/api/chat/completions")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + Tokens.signedWithOtherSecret("bad-input-user"))
        .contentType(ContentType.JSON)
        .body(Map.of("model", "fake-model", "messages", messages))
        .post("/api/chat/completions")
        .then()
        .statusCode(401);
    assertThat(SERVER.completionRequests()).isEmpty();
  }

  private static void refused(String token, Object body, int status, String detail) {
    given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/chat/completions")
        .then()
        .statusCode(status)
        .body("detail", containsString(detail));
  }

  private static JsonObject doneEvent(ChatSession chat) {
    return chat.events().stream()
        .filter(e -> data(e).getBoolean("done", false))
        .map(ChatSession::data)
        .findFirst()
        .orElseThrow();
  }

  static String text(JsonObject item) {
    return item.getJsonArray("content").getJsonObject(0).getString("text");
  }

  /** The first {@code count} tokens of {@link Reply#tokens}. */
  private static String expected(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append('t').append(i).append(' ');
    }
    return text.toString();
  }
}
