package io.realtimegateway.emit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoomApiTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void usersJoinedToARoomReceiveItsEmitsUntilTheyLeaveOrItCloses() {
    try (BrowserTab alice = tab("room-alice");
        BrowserTab bob = tab("room-bob")) {
      roomChange("channel:new", "join", Map.of("user_id", "room-alice", "session_id", bob.sid()))
          .statusCode(200)
          .body("sessions", equalTo(2));
      given()
          .get("/internal/v1/rooms/channel:new/sessions")
          .then()
          .statusCode(200)
          .body("sessions.size()", equalTo(2));
      emit("first");
      await().atMost(Duration.ofSeconds(5)).until(() -> alice.events().contains("first"));
      await().atMost(Duration.ofSeconds(5)).until(() -> bob.events().contains("first"));

      roomChange("channel:new", "leave", Map.of("session_id", bob.sid())).statusCode(200);
      given()
          .get("/internal/v1/rooms/channel:new/sessions")
          .then()
          .body("sessions", contains(alice.sid()));
      emit("second");
      await().atMost(Duration.ofSeconds(5)).until(() -> alice.events().contains("second"));

      given().delete("/internal/v1/rooms/channel:new").then().statusCode(200);
      emit("third");
      GatewayApi.emit(Map.of("event", "events", "to", alice.sid(), "data", "direct"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> alice.events().contains("direct"));
      assertThat(alice.events()).doesNotContain("third");
      assertThat(bob.events()).containsExactly("first");
    }
  }

  @Test
  void roomChangesNeedATarget() {
    roomChange("channel:x", "join", Map.of()).statusCode(400).body("field", equalTo("session_id"));
    roomChange("channel:x", "leave", Map.of("user_id", 5))
        .statusCode(400)
        .body("field", equalTo("user_id"));
  }

  private static void emit(String data) {
    GatewayApi.emit(Map.of("event", "events", "room", "channel:new", "data", data)).statusCode(202);
  }

  private static ValidatableResponse roomChange(String room, String change, Object body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/internal/v1/rooms/" + room + "/" + change)
        .then();
  }

  private BrowserTab tab(String userId) {
    BrowserTab tab = BrowserTab.open(gateway, Tokens.valid(userId, userId));
    GatewayApi.awaitSession(userId, tab.sid());
    return tab;
  }
}
