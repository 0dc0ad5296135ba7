package io.realtimegateway.completion;

import static io.restassured.RestAssured.given;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * A user with an open tab asking for chat completions the way the Open WebUI web client does, and
 * reading the events of one chat as the tab receives them.
 */
final class ChatSession implements AutoCloseable {

  final String userId;
  final String token;
  final BrowserTab tab;
  final String chatId = "chat-" + UUID.randomUUID();
  final String messageId = "msg-" + UUID.randomUUID();

  private ChatSession(String userId, BrowserTab tab) {
    this.userId = userId;
    this.token = Tokens.valid(userId, userId);
    this.tab = tab;
  }

  static ChatSession open(URI gateway, String userId) {
    BrowserTab tab = BrowserTab.open(gateway, Tokens.valid(userId, userId));
    GatewayApi.awaitSession(userId, tab.sid());
    return new ChatSession(userId, tab);
  }

  /** The body Open WebUI's web client sends for this chat, with the user message {@code text}. */
  Map<String, Object> body(String model, String text) {
    Map<String, Object> body = new HashMap<>();
    body.put("model", model);
    body.put("stream", true);
    body.put("messages", List.of(Map.of("role", "user", "content", text)));
    body.put("session_id", tab.sid());
    body.put("chat_id", chatId);
    body.put("id", messageId);
    return body;
  }

  ValidatableResponse post(Object body) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/chat/completions")
        .then();
  }

  /** Starts a reply and returns its task id. */
  String start(String model, String text) {
    return start(body(model, text));
  }

  String start(Map<String, Object> body) {
    return post(body).statusCode(200).extract().jsonPath().getList("task_ids", String.class).get(0);
  }

  /** Another tab of the same user, which sees the events of this chat too. */
  Listener secondTab(URI gateway) {
    BrowserTab other = BrowserTab.open(gateway, token);
    GatewayApi.awaitSession(userId, other.sid());
    return new Listener(other, chatId);
  }

  /** A tab that only watches one chat's events. */
  record Listener(BrowserTab tab, String chatId) implements AutoCloseable {

    /** The {@code events} of the chat this tab received, oldest first. */
    List<JsonObject> events() {
      return objects(tab).stream()
          .filter(event -> chatId.equals(event.getString("chat_id")))
          .toList();
    }

    @Override
    public void close() {
      tab.close();
    }
  }

  /** The {@code events} of this chat the tab received, oldest first. */
  List<JsonObject> events() {
    return tab.events().stream()
        .filter(org.json.JSONObject.class::isInstance)
        .map(event -> new JsonObject(event.toString()))
        .filter(event -> chatId.equals(event.getString("chat_id")))
        .toList();
  }

  /** Every {@code events} payload a tab received that is an object, oldest first. */
  static List<JsonObject> objects(BrowserTab tab) {
    return tab.events().stream()
        .filter(org.json.JSONObject.class::isInstance)
        .map(event -> new JsonObject(event.toString()))
        .toList();
  }

  /** The {@code data.type} of each event of this chat. */
  List<String> types() {
    return events().stream().map(ChatSession::type).toList();
  }

  /** Waits until the chat's tasks are over: {@code chat:active false} arrived. */
  List<JsonObject> awaitInactive() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> events().stream().anyMatch(ChatSession::isInactive));
    return events();
  }

  /** Waits for the first event of a type and returns it. */
  JsonObject awaitFirst(String type) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> events().stream().anyMatch(event -> type.equals(type(event))));
    return events().stream().filter(event -> type.equals(type(event))).findFirst().orElseThrow();
  }

  /** The running task ids the gateway lists for this chat. */
  List<String> taskIds() {
    return given()
        .header("Authorization", "Bearer " + token)
        .get("/api/tasks/chat/" + chatId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("task_ids", String.class);
  }

  static String type(JsonObject event) {
    return event.getJsonObject("data").getString("type");
  }

  static JsonObject data(JsonObject event) {
    return event.getJsonObject("data").getJsonObject("data");
  }

  static boolean isInactive(JsonObject event) {
    return "chat:active".equals(type(event)) && !data(event).getBoolean("active");
  }

  @Override
  public void close() {
    tab.close();
  }
}
