package io.realtimegateway.completion;

import static io.realtimegateway.completion.ChatSession.data;
import static io.realtimegateway.completion.ChatSession.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FakeModelServer;
import io.realtimegateway.support.FakeModelServer.Reply;
import io.realtimegateway.support.FakeModelServer.ToolCall;
import io.realtimegateway.support.ModelServerProfile;
import io.realtimegateway.support.ToolsProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model's function calls in a chat task: a direct tool server's function runs in the tab that
 * asked (the event caller's {@code execute:tool}), the result goes back to the model, and the tab
 * sees the function call, its output, {@code status} and {@code source} events.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class ToolCallTest {

  private static final FakeModelServer SERVER = ModelServerProfile.SERVER;

  private static final Map<String, Object> WEATHER =
      Map.of(
          "name",
          "get_weather",
          "description",
          "The weather in a city",
          "parameters",
          Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));

  @TestHTTPResource("/")
  URI gateway;

  @BeforeEach
  void resetServer() {
    SERVER.reset();
    SERVER.defaultReply(Reply.tokens(3, 100));
  }

  /** A completion body offering the tab's direct tool server with {@link #WEATHER}. */
  private static Map<String, Object> withWeatherTool(ChatSession chat) {
    Map<String, Object> body = chat.body("fake-model", "Weather in Paris?");
    body.put(
        "tool_servers",
        List.of(Map.of("url", "http://tools.example", "idx", 0, "specs", List.of(WEATHER))));
    return body;
  }

  private static Object[] weatherAnswer(Object payload) {
    return new Object[] {
      new JSONArray(
          List.of(
              new JSONObject(Map.of("temperature", 21, "sky", "sunny")),
              new JSONObject(Map.of("Content-Type", "application/json"))))
    };
  }

  @Test
  void aDirectToolRunsInTheTabAndItsResultReachesTheModelsSecondRound() throws Exception {
    SERVER.scriptNext(
        Reply.tokens(1, 100)
            .withTokens(List.of("Let me look. "))
            .withToolCalls(
                new ToolCall("call_1", "get_weather", "{\"city\": \"Paris\", \"x\": 1}")));
    SERVER.scriptNext(Reply.tokens(3, 100).withTokens(List.of("It ", "is ", "sunny.")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-user")) {
      List<Object> calls = new CopyOnWriteArrayList<>();
      chat.tab.answerCalls(
          payload -> {
            calls.add(payload);
            return weatherAnswer(payload);
          });
      chat.start(withWeatherTool(chat));
      List<JsonObject> events = chat.awaitInactive();

      // The tab was called with Open WebUI's execute:tool, only the declared parameters kept.
      assertThat(calls).hasSize(1);
      JsonObject call = new JsonObject(calls.get(0).toString());
      assertThat(call.getString("chat_id")).isEqualTo(chat.chatId);
      assertThat(call.getJsonObject("data").getString("type")).isEqualTo("execute:tool");
      JsonObject request = call.getJsonObject("data").getJsonObject("data");
      assertThat(request.getString("name")).isEqualTo("get_weather");
      assertThat(request.getJsonObject("params").getMap()).isEqualTo(Map.of("city", "Paris"));
      assertThat(request.getJsonObject("server").getString("url"))
          .isEqualTo("http://tools.example");
      assertThat(request.getJsonObject("server").containsKey("specs")).isFalse();
      assertThat(request.getString("session_id")).isEqualTo(chat.tab.sid());
      assertThat(request.getString("id")).isNotBlank();

      // Status events come in a pair around the call, then the citation of the tool.
      List<String> types = chat.types();
      int calling = types.indexOf("status");
      assertThat(calling).isPositive();
      assertThat(data(events.get(calling)).getBoolean("done")).isFalse();
      assertThat(data(events.get(calling)).getString("action")).isEqualTo("tool_call");
      int called = types.subList(calling + 1, types.size()).indexOf("status") + calling + 1;
      assertThat(data(events.get(called)).getBoolean("done")).isTrue();
      assertThat(data(events.get(called)).containsKey("error")).isFalse();
      assertThat(types).contains("source");
      JsonObject source =
          events.stream()
              .filter(e -> "source".equals(type(e)))
              .findFirst()
              .map(ChatSession::data)
              .orElseThrow();
      assertThat(source.getJsonObject("source").getString("name")).isEqualTo("get_weather");

      // Snapshots while it ran: the function call in progress while the tab ran it, then done.
      List<String> callStatuses =
          events.stream()
              .filter(e -> "chat:completion".equals(type(e)) && !data(e).getBoolean("done", false))
              .map(e -> data(e).getJsonArray("output"))
              .filter(snapshot -> snapshot != null)
              .flatMap(snapshot -> items(snapshot, "function_call").stream())
              .map(item -> item.getString("status"))
              .distinct()
              .toList();
      assertThat(callStatuses).containsExactly("in_progress", "completed");
      JsonArray whileCalling =
          events.stream()
              .filter(e -> "chat:completion".equals(type(e)))
              .map(e -> data(e).getJsonArray("output"))
              .filter(snapshot -> snapshot != null && !items(snapshot, "function_call").isEmpty())
              .findFirst()
              .orElseThrow();
      JsonObject pending = items(whileCalling, "function_call").get(0);
      assertThat(pending.getString("call_id")).isEqualTo("call_1");
      assertThat(pending.getString("name")).isEqualTo("get_weather");
      assertThat(pending.getString("arguments")).isEqualTo("{\"city\": \"Paris\", \"x\": 1}");
      assertThat(items(whileCalling, "function_call_output")).isEmpty();

      // The final output: what the model said, the call, its output, the second round's answer.
      JsonObject done =
          events.stream()
              .filter(e -> "chat:completion".equals(type(e)) && data(e).getBoolean("done", false))
              .findFirst()
              .map(ChatSession::data)
              .orElseThrow();
      JsonArray output = done.getJsonArray("output");
      assertThat(output.stream().map(item -> ((JsonObject) item).getString("type")).toList())
          .containsExactly("message", "function_call", "function_call_output", "message");
      JsonObject functionCall = output.getJsonObject(1);
      assertThat(functionCall.getString("call_id")).isEqualTo("call_1");
      assertThat(functionCall.getString("name")).isEqualTo("get_weather");
      assertThat(functionCall.getString("status")).isEqualTo("completed");
      JsonObject result = output.getJsonObject(2);
      assertThat(result.getString("call_id")).isEqualTo("call_1");
      assertThat(result.getString("status")).isEqualTo("completed");
      assertThat(result.getJsonArray("output").getJsonObject(0).getString("text")).contains("21");
      assertThat(output.getJsonObject(3).getJsonArray("content").getJsonObject(0).getString("text"))
          .isEqualTo("It is sunny.");

      // The model got the tools, then the conversation with the call and its result.
      List<FakeModelServer.Request> sent = SERVER.completionRequests();
      assertThat(sent).hasSize(2);
      JsonObject offered = sent.get(0).body().getJsonArray("tools").getJsonObject(0);
      assertThat(offered.getString("type")).isEqualTo("function");
      assertThat(offered.getJsonObject("function").getString("name")).isEqualTo("get_weather");
      assertThat(sent.get(0).body().containsKey("tool_servers")).isFalse();
      JsonArray messages = sent.get(1).body().getJsonArray("messages");
      assertThat(messages.size()).isEqualTo(3);
      JsonObject assistant = messages.getJsonObject(1);
      assertThat(assistant.getString("role")).isEqualTo("assistant");
      assertThat(assistant.getString("content")).isEqualTo("Let me look. ");
      assertThat(
              assistant
                  .getJsonArray("tool_calls")
                  .getJsonObject(0)
                  .getJsonObject("function")
                  .getString("arguments"))
          .isEqualTo("{\"city\": \"Paris\", \"x\": 1}");
      JsonObject tool = messages.getJsonObject(2);
      assertThat(tool.getString("role")).isEqualTo("tool");
      assertThat(tool.getString("tool_call_id")).isEqualTo("call_1");
      assertThat(tool.getString("content")).contains("sunny");
    }
  }

  @Test
  void unknownFunctionsAndMalformedArgumentsBecomeFailedCallsAndTheReplyGoesOn() {
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(
                new ToolCall("call_a", "no_such_tool", "{}"),
                new ToolCall("call_b", "get_weather", "{\"city\": ")));
    SERVER.scriptNext(Reply.tokens(1, 100).withTokens(List.of("Sorry.")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-bad-user")) {
      chat.tab.answerCalls(ToolCallTest::weatherAnswer);
      chat.start(withWeatherTool(chat));
      List<JsonObject> events = chat.awaitInactive();

      JsonArray output = finalOutput(events);
      List<JsonObject> results = items(output, "function_call_output");
      assertThat(results).hasSize(2);
      assertThat(results).allMatch(item -> "failed".equals(item.getString("status")));
      assertThat(text(results.get(0))).contains("no_such_tool").contains("not found");
      assertThat(text(results.get(1))).contains("could not be parsed");
      assertThat(events.stream().filter(e -> "status".equals(type(e))).map(ChatSession::data))
          .filteredOn(status -> status.getBoolean("done"))
          .allMatch(status -> status.getBoolean("error", false));
      assertThat(text(items(output, "message").get(0))).isEqualTo("Sorry.");
    }
  }

  @Test
  void aTabThatNeverAnswersOrAnswersGarbageFailsTheCallNotTheReply() {
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\": \"Oslo\"}")));
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_2", "get_weather", "{\"city\": \"Rome\"}")));
    SERVER.scriptNext(Reply.tokens(1, 100).withTokens(List.of("No weather today.")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-silent-user")) {
      // First call: no answer (2 s caller timeout); second call: a shape no tab should send.
      List<Object> calls = new CopyOnWriteArrayList<>();
      chat.tab.answerCalls(
          payload -> {
            calls.add(payload);
            return calls.size() == 1 ? null : new Object[] {"not", "the", "shape"};
          });
      chat.start(withWeatherTool(chat));
      List<JsonObject> events = chat.awaitInactive();

      List<JsonObject> results = items(finalOutput(events), "function_call_output");
      assertThat(results).hasSize(2);
      assertThat(results).allMatch(item -> "failed".equals(item.getString("status")));
      assertThat(text(results.get(0))).contains("did not answer");
      assertThat(text(results.get(1))).contains("unexpected shape");
    }
  }

  @Test
  void aTabThatAnswersAnErrorFailsTheCallWithThatMessage() {
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\": \"Oslo\"}")));
    SERVER.scriptNext(Reply.tokens(1, 100).withTokens(List.of("It was refused.")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-error-user")) {
      // Open WebUI's client answers a failed tool run with [{"error": msg}, null].
      chat.tab.answerCalls(
          payload ->
              new Object[] {
                new JSONArray(
                    List.of(
                        new JSONObject(Map.of("error", "Tool Server Not Found")), JSONObject.NULL))
              });
      chat.start(withWeatherTool(chat));
      List<JsonObject> events = chat.awaitInactive();

      JsonObject result = items(finalOutput(events), "function_call_output").get(0);
      assertThat(result.getString("status")).isEqualTo("failed");
      assertThat(text(result)).isEqualTo("Tool call failed (HTTP 502): Tool Server Not Found");
      JsonObject called =
          events.stream()
              .filter(e -> "status".equals(type(e)) && data(e).getBoolean("done"))
              .map(ChatSession::data)
              .findFirst()
              .orElseThrow();
      assertThat(called.getBoolean("error")).isTrue();
      assertThat(
              SERVER
                  .completionRequests()
                  .get(1)
                  .body()
                  .getJsonArray("messages")
                  .getJsonObject(2)
                  .getString("content"))
          .contains("Tool Server Not Found");
    }
  }

  @Test
  void aTabThatDisconnectsDuringTheCallFailsItWithAClearMessage() {
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\": \"Nice\"}")));
    SERVER.scriptNext(Reply.tokens(1, 100).withTokens(List.of("The tab left.")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-leaving-user");
        ChatSession.Listener other = chat.secondTab(gateway)) {
      // The tab that asked closes when the tool call reaches it; another tab watches the reply.
      chat.tab.answerCalls(
          payload -> {
            chat.tab.close();
            return null;
          });
      chat.start(withWeatherTool(chat));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> other.events().stream().anyMatch(ChatSession::isInactive));

      JsonArray output = finalOutput(other.events());
      JsonObject result = items(output, "function_call_output").get(0);
      assertThat(result.getString("status")).isEqualTo("failed");
      assertThat(text(result)).contains("disconnected");
      assertThat(text(items(output, "message").get(0))).isEqualTo("The tab left.");
    }
  }

  @Test
  void aSessionIdOfAnotherUsersTabFailsTheCallAndThatTabIsNeverCalled() {
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\": \"Oslo\"}")));
    SERVER.scriptNext(Reply.tokens(1, 100).withTokens(List.of("No tab for you.")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-intruder-user");
        ChatSession victim = ChatSession.open(gateway, "tool-victim-user")) {
      List<Object> ownCalls = new CopyOnWriteArrayList<>();
      chat.tab.answerCalls(
          payload -> {
            ownCalls.add(payload);
            return weatherAnswer(payload);
          });
      List<Object> victimCalls = new CopyOnWriteArrayList<>();
      victim.tab.answerCalls(
          payload -> {
            victimCalls.add(payload);
            return weatherAnswer(payload);
          });
      // The intruder's reply names the victim's tab as the one that runs its tools.
      Map<String, Object> body = withWeatherTool(chat);
      body.put("session_id", victim.tab.sid());
      chat.start(body);
      List<JsonObject> events = chat.awaitInactive();

      JsonObject result = items(finalOutput(events), "function_call_output").get(0);
      assertThat(result.getString("status")).isEqualTo("failed");
      assertThat(text(result)).contains("Client session disconnected.");
      assertThat(victimCalls).isEmpty();
      assertThat(ownCalls).isEmpty();
      assertThat(victim.tab.events()).isEmpty();
    }
  }

  @Test
  void pastTheRoundLimitTheReplyEndsWithAnErrorItemAndIsDone() {
    SERVER.defaultReply(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_x", "get_weather", "{\"city\": \"Lima\"}")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-loop-user")) {
      chat.tab.answerCalls(ToolCallTest::weatherAnswer);
      chat.start(withWeatherTool(chat));
      List<JsonObject> events = chat.awaitInactive();

      // Two rounds ran, the third was refused: the reply ends normally, its last item the error.
      assertThat(SERVER.completionRequests()).hasSize(3);
      List<String> types = chat.types();
      assertThat(types).doesNotContain("chat:message:error", "chat:tasks:cancel");
      JsonArray output = finalOutput(events);
      assertThat(items(output, "function_call_output")).hasSize(2);
      JsonObject error = output.getJsonObject(output.size() - 1);
      assertThat(error.getString("type")).isEqualTo("message");
      assertThat(error.getString("status")).isEqualTo("incomplete");
      assertThat(text(error))
          .startsWith("Error: ")
          .contains("more than 2 rounds")
          .contains("GATEWAY_TOOLS_MAX_ROUNDS");
      // The done event, then chat:active false, as for any reply.
      int done = -1;
      for (int i = 0; i < events.size(); i++) {
        if ("chat:completion".equals(type(events.get(i)))
            && data(events.get(i)).getBoolean("done", false)) {
          done = i;
        }
      }
      assertThat(done).isPositive();
      assertThat(ChatSession.isInactive(events.get(events.size() - 1))).isTrue();
      assertThat(done).isLessThan(events.size() - 1);
    }
  }

  @Test
  void aStopWhileTheTabRunsTheToolEndsTheCallAndTheReply() {
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\": \"Kyiv\"}")));
    try (ChatSession chat = ChatSession.open(gateway, "tool-stop-user")) {
      List<Object> calls = new CopyOnWriteArrayList<>();
      chat.tab.answerCalls(
          payload -> {
            calls.add(payload);
            return null;
          });
      String taskId = chat.start(withWeatherTool(chat));
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 1);

      given()
          .header("Authorization", "Bearer " + chat.token)
          .post("/api/tasks/stop/" + taskId)
          .then()
          .statusCode(200);
      List<JsonObject> events = chat.awaitInactive();

      JsonArray output = lastCancelOutput(events);
      JsonObject functionCall = items(output, "function_call").get(0);
      assertThat(functionCall.getString("status")).isEqualTo("incomplete");
      assertThat(items(output, "function_call_output")).isEmpty();
      assertThat(SERVER.completionRequests()).hasSize(1);
    }
  }

  @Test
  void theEchoModelCallsAToolOnRequestAndEchoesItsResult() {
    try (ChatSession chat = ChatSession.open(gateway, "tool-echo-user")) {
      chat.tab.answerCalls(ToolCallTest::weatherAnswer);
      Map<String, Object> body = withWeatherTool(chat);
      body.put("model", "echo");
      body.put(
          "messages",
          List.of(Map.of("role", "user", "content", "/call get_weather {\"city\": \"Bern\"}")));
      chat.start(body);
      List<JsonObject> events = chat.awaitInactive();

      JsonArray output = finalOutput(events);
      assertThat(output.stream().map(item -> ((JsonObject) item).getString("type")).toList())
          .containsExactly("message", "function_call", "function_call_output", "message");
      assertThat(items(output, "function_call").get(0).getString("arguments"))
          .isEqualTo("{\"city\": \"Bern\"}");
      assertThat(text(items(output, "message").get(1)))
          .startsWith("The tool answered:")
          .contains("sunny");
      assertThat(SERVER.completionRequests()).isEmpty();
    }
  }

  private static JsonArray finalOutput(List<JsonObject> events) {
    return events.stream()
        .filter(e -> "chat:completion".equals(type(e)) && data(e).getBoolean("done", false))
        .findFirst()
        .map(e -> data(e).getJsonArray("output"))
        .orElseThrow();
  }

  private static JsonArray lastCancelOutput(List<JsonObject> events) {
    return events.stream()
        .filter(e -> "chat:tasks:cancel".equals(type(e)))
        .reduce((first, second) -> second)
        .map(e -> data(e).getJsonArray("output"))
        .orElseThrow();
  }

  private static List<JsonObject> items(JsonArray output, String itemType) {
    return output.stream()
        .map(JsonObject.class::cast)
        .filter(item -> itemType.equals(item.getString("type")))
        .toList();
  }

  private static String text(JsonObject item) {
    JsonArray parts =
        item.containsKey("output") ? item.getJsonArray("output") : item.getJsonArray("content");
    return parts.getJsonObject(0).getString("text");
  }
}
