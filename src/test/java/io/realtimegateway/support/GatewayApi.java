package io.realtimegateway.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The backend HTTP API as a backend would use it, through RestAssured. */
public final class GatewayApi {

  private GatewayApi() {}

  public static ValidatableResponse emit(Object body) {
    return given().contentType(ContentType.JSON).body(body).post("/internal/v1/emit").then();
  }

  public static ValidatableResponse call(Object body) {
    return given().contentType(ContentType.JSON).body(body).post("/internal/v1/call").then();
  }

  /** The sids the session pool lists for a user. */
  public static List<String> sessionIds(String userId) {
    return given()
        .queryParam("user_id", userId)
        .get("/internal/v1/sessions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("sessions.sid", String.class);
  }

  /** Waits until the session pool lists {@code sid} for {@code userId}. */
  public static void awaitSession(String userId, String sid) {
    await().atMost(Duration.ofSeconds(15)).until(() -> sessionIds(userId).contains(sid));
  }

  public static List<String> modelIds() {
    return given()
        .get("/internal/v1/usage")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("model_ids", String.class);
  }

  /** Open WebUI's emitter payload {@code {chat_id, message_id, data: {type, data}}}. */
  public static Map<String, Object> chatEvent(String type, Object data) {
    return Map.of(
        "chat_id", "chat-1", "message_id", "msg-1", "data", Map.of("type", type, "data", data));
  }
}
