package io.realtimegateway.completion;

import static io.realtimegateway.completion.ChatCompletionTest.text;
import static io.realtimegateway.completion.ChatSession.data;
import static io.realtimegateway.completion.ChatSession.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.DeltaStreamProfile;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GATEWAY_COMPLETION_STREAM=delta}: Open WebUI 0.11.4's {@code response:completion} events,
 * shown with the echo model; and a model server that cannot be reached.
 */
@QuarkusTest
@TestProfile(DeltaStreamProfile.class)
class DeltaStreamTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void echoStreamsResponseCompletionDeltasAndEndsWithTheSameFinalEvent() {
    try (ChatSession chat = ChatSession.open(gateway, "delta-user")) {
      chat.start("echo", "hello big world");
      List<JsonObject> events = chat.awaitInactive();
      assertThat(chat.types())
          .containsExactly(
              "chat:active",
              "response:completion",
              "response:completion",
              "response:completion",
              "response:completion",
              "chat:completion",
              "response:completion",
              "chat:completion",
              "chat:active");
      JsonObject added = data(events.get(1));
      assertThat(added.getString("type")).isEqualTo("response.output_item.added");
      assertThat(added.getInteger("output_index")).isZero();
      JsonObject item = added.getJsonObject("item");
      assertThat(item.getString("type")).isEqualTo("message");
      assertThat(item.getString("status")).isEqualTo("in_progress");
      assertThat(text(item)).isEmpty();
      List<String> deltas =
          events.subList(2, 5).stream()
              .map(ChatSession::data)
              .peek(
                  delta -> {
                    assertThat(delta.getString("type")).isEqualTo("response.output_text.delta");
                    assertThat(delta.getString("item_id")).isEqualTo(item.getString("id"));
                    assertThat(delta.getInteger("output_index")).isZero();
                    assertThat(delta.getInteger("content_index")).isZero();
                  })
              .map(delta -> delta.getString("delta"))
              .toList();
      assertThat(deltas).containsExactly("hello", " big", " world");
      assertThat(data(events.get(5)).getJsonObject("usage").getInteger("completion_tokens"))
          .isEqualTo(3);
      JsonObject itemDone = data(events.get(6));
      assertThat(itemDone.getString("type")).isEqualTo("response.output_item.done");
      assertThat(itemDone.getJsonObject("item").getString("status")).isEqualTo("completed");
      assertThat(text(itemDone.getJsonObject("item"))).isEqualTo("hello big world");
      JsonObject done = data(events.get(7));
      assertThat(done.getBoolean("done")).isTrue();
      assertThat(text(done.getJsonArray("output").getJsonObject(0))).isEqualTo("hello big world");
      assertThat(done.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(6);
    }
  }

  @Test
  void toolCallsStreamAsOutputItemsAddedAndDone() {
    try (ChatSession chat = ChatSession.open(gateway, "delta-tool-user")) {
      chat.tab.answerCalls(
          payload ->
              new Object[] {
                new org.json.JSONArray(
                    List.of(
                        new org.json.JSONObject(Map.of("answer", 42)), new org.json.JSONObject()))
              });
      Map<String, Object> body = chat.body("echo", "/call lookup {\"q\": \"x\"}");
      body.put(
          "tool_servers",
          List.of(
              Map.of(
                  "url",
                  "http://tools.example",
                  "specs",
                  List.of(
                      Map.of(
                          "name",
                          "lookup",
                          "parameters",
                          Map.of(
                              "type",
                              "object",
                              "properties",
                              Map.of("q", Map.of("type", "string"))))))));
      chat.start(body);
      List<JsonObject> events = chat.awaitInactive();

      // Every item is added, then done, in output order: message, function_call, its output,
      // message.
      List<String> itemEvents =
          events.stream()
              .filter(event -> "response:completion".equals(ChatSession.type(event)))
              .map(ChatSession::data)
              .filter(data -> data.getString("type").startsWith("response.output_item."))
              .map(
                  data ->
                      data.getString("type").substring("response.output_item.".length())
                          + " "
                          + data.getJsonObject("item").getString("type"))
              .toList();
      assertThat(itemEvents)
          .containsExactly(
              "added message",
              "done message",
              "added function_call",
              "done function_call",
              "added function_call_output",
              "done function_call_output",
              "added message",
              "done message");
      JsonObject output =
          events.stream()
              .filter(event -> "response:completion".equals(ChatSession.type(event)))
              .map(ChatSession::data)
              .filter(data -> "response.output_item.done".equals(data.getString("type")))
              .map(data -> data.getJsonObject("item"))
              .filter(item -> "function_call_output".equals(item.getString("type")))
              .findFirst()
              .orElseThrow();
      assertThat(output.getString("status")).isEqualTo("completed");
      assertThat(output.getJsonArray("output").getJsonObject(0).getString("text")).contains("42");
    }
  }

  @Test
  void deltasAreConcatenatedPerStreamDeltaChunkSize() {
    try (ChatSession chat = ChatSession.open(gateway, "delta-chunk-user")) {
      Map<String, Object> body = chat.body("echo", "a b c d e");
      body.put("params", Map.of("stream_delta_chunk_size", 2));
      chat.start(body);
      chat.awaitInactive();
      List<String> deltas =
          chat.events().stream()
              .filter(e -> type(e).equals("response:completion"))
              .map(ChatSession::data)
              .filter(d -> d.getString("type").equals("response.output_text.delta"))
              .map(d -> d.getString("delta"))
              .toList();
      assertThat(deltas).containsExactly("a b", " c d", " e");
    }
  }

  @Test
  void anEchoStoppedMidReplyIsCancelledWithItsPartialOutput() {
    try (ChatSession chat = ChatSession.open(gateway, "delta-stop-user")) {
      String taskId = chat.start("echo", "word ".repeat(500));
      chat.awaitFirst("response:completion");
      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/stop/" + taskId)
          .then()
          .statusCode(200)
          .body("status", equalTo(true));
      chat.awaitInactive();
      List<String> types = chat.types();
      assertThat(types.subList(types.size() - 2, types.size()))
          .containsExactly("chat:tasks:cancel", "chat:active");
      JsonObject item =
          data(chat.events().get(types.size() - 2)).getJsonArray("output").getJsonObject(0);
      assertThat(item.getString("status")).isEqualTo("incomplete");
      assertThat(text(item)).startsWith("word").hasSizeLessThan("word ".repeat(500).length());
      assertThat(chat.events()).noneMatch(e -> data(e).getBoolean("done", false));
    }
  }

  @Test
  void aModelServerThatCannotBeReachedFailsTheReply() {
    try (ChatSession chat = ChatSession.open(gateway, "unreachable-user")) {
      chat.start("some-model", "anyone there?");
      chat.awaitInactive();
      assertThat(chat.types())
          .containsExactly("chat:active", "chat:message:error", "chat:tasks:cancel", "chat:active");
      assertThat(data(chat.events().get(1)).getJsonObject("error").getString("content"))
          .contains("could not be reached");
      assertThat(data(chat.events().get(2)).getJsonArray("output")).isEmpty();
    }
  }

  @Test
  void modelsListsOnlyEchoWhenTheModelServerCannotBeReached() {
    given()
        .header("Authorization", "Bearer " + Tokens.valid("delta-models-user", "M"))
        .get("/api/models")
        .then()
        .statusCode(200)
        .body("data.id", contains("echo"));
  }

  @Test
  void aDirectEchoRequestIsAnsweredAsOpenAiChunksOrJson() {
    String token = Tokens.valid("direct-echo-user", "E");
    List<Map<String, String>> messages = List.of(Map.of("role", "user", "content", "one two"));
    String stream =
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(Map.of("model", "echo", "stream", true, "messages", messages))
            .post("/api/chat/completions")
            .then()
            .statusCode(200)
            .header("Content-Type", containsString("text/event-stream"))
            .extract()
            .asString();
    List<String> contents =
        stream
            .lines()
            .filter(line -> line.startsWith("data: {"))
            .map(line -> new JsonObject(line.substring("data: ".length())))
            .map(c -> c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
            .map(delta -> delta.getString("content"))
            .filter(content -> content != null)
            .toList();
    assertThat(contents).containsExactly("one", " two");
    assertThat(stream).endsWith("data: [DONE]\n\n");
    given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(Map.of("model", "echo", "messages", messages))
        .post("/api/chat/completions")
        .then()
        .statusCode(200)
        .body("object", equalTo("chat.completion"))
        .body("choices[0].message.content", equalTo("one two"))
        .body("usage.completion_tokens", equalTo(2));
  }
}
