package io.realtimegateway.emit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EmitApiTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void emitToUserRoomReachesEveryTabOfThatUserAndNoOtherUser() throws Exception {
    try (BrowserTab first = tab("emit-alice");
        BrowserTab second = tab("emit-alice");
        BrowserTab other = tab("emit-bob")) {
      GatewayApi.emit(
              Map.of(
                  "event",
                  "events",
                  "room",
                  "user:emit-alice",
                  "data",
                  GatewayApi.chatEvent("chat:completion", Map.of("content", "hi"))))
          .statusCode(202)
          .body("status", equalTo(true));
      await().atMost(Duration.ofSeconds(5)).until(() -> first.events().size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> second.events().size() == 1);
      JSONObject received = (JSONObject) first.events().get(0);
      assertThat(received.getString("chat_id")).isEqualTo("chat-1");
      assertThat(received.getJSONObject("data").getString("type")).isEqualTo("chat:completion");
      assertThat(received.getJSONObject("data").getJSONObject("data").getString("content"))
          .isEqualTo("hi");
      // A later direct emit to bob arrives alone: nothing of alice's reached him.
      GatewayApi.emit(Map.of("event", "events", "to", other.sid(), "data", "for-bob"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> !other.events().isEmpty());
      assertThat(other.events()).containsExactly("for-bob");
    }
  }

  @Test
  void skipSidLeavesOutOneTabAndListsOfRoomsAreAccepted() {
    try (BrowserTab first = tab("emit-carol");
        BrowserTab second = tab("emit-carol");
        BrowserTab third = tab("emit-dave")) {
      GatewayApi.emit(
              Map.of(
                  "event",
                  "events",
                  "room",
                  List.of("user:emit-carol", "user:emit-dave"),
                  "skip_sid",
                  first.sid(),
                  "data",
                  "news"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> second.events().size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> third.events().size() == 1);
      GatewayApi.emit(Map.of("event", "events", "to", first.sid(), "data", "direct"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> !first.events().isEmpty());
      assertThat(first.events()).containsExactly("direct");
    }
  }

  @Test
  void emitWithoutRoomReachesEverySocket() {
    try (BrowserTab authenticated = tab("emit-erin");
        BrowserTab anonymous = BrowserTab.open(gateway, null)) {
      GatewayApi.emit(Map.of("event", "events", "data", Map.of("type", "broadcast")))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> authenticated.events().size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> anonymous.events().size() == 1);
    }
  }

  @Test
  void badEmitBodiesAreRefusedNamingTheField() {
    GatewayApi.emit(Map.of("data", 1)).statusCode(400).body("field", equalTo("event"));
    GatewayApi.emit(Map.of("event", 5)).statusCode(400).body("field", equalTo("event"));
    GatewayApi.emit(Map.of("event", "e", "room", 7)).statusCode(400).body("field", equalTo("room"));
    GatewayApi.emit(Map.of("event", "e", "room", List.of("a", 1)))
        .statusCode(400)
        .body("field", equalTo("room"));
    GatewayApi.emit(Map.of("event", "e", "to", List.of()))
        .statusCode(400)
        .body("field", equalTo("to"));
    GatewayApi.emit(Map.of("event", "e", "skip_sid", Map.of()))
        .statusCode(400)
        .body("field", equalTo("skip_sid"));
    GatewayApi.emit(List.of("not", "an", "object")).statusCode(400).body("field", equalTo("body"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"event\": ")
        .post("/internal/v1/emit")
        .then()
        .statusCode(400)
        .body("field", equalTo("body"));
    given()
        .contentType(ContentType.JSON)
        .post("/internal/v1/emit")
        .then()
        .statusCode(400)
        .body("field", equalTo("body"));
  }

  @Test
  void aBodyAboveTheLimitIsRefusedWith413() {
    String oversized = "{\"event\":\"e\",\"data\":\"" + "x".repeat(70 * 1024) + "\"}";
    given()
        .contentType(ContentType.JSON)
        .body(oversized)
        .post("/internal/v1/emit")
        .then()
        .statusCode(413)
        .body("error", equalTo("Request Entity Too Large"));
    GatewayApi.emit(Map.of("event", "e", "data", "x".repeat(1024))).statusCode(202);
  }

  @Test
  void aBatchReachesEachTabInArrayOrderAndAfterTheBatchBeforeIt() {
    try (BrowserTab tab = tab("batch-order")) {
      for (int batch = 0; batch < 4; batch++) {
        List<Map<String, Object>> emits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          emits.add(Map.of("event", "events", "room", "user:batch-order", "data", batch * 50 + i));
        }
        GatewayApi.emit(emits).statusCode(202).body("status", equalTo(true));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> tab.events().size() >= 200);
      assertThat(tab.events())
          .containsExactlyElementsOf(
              IntStream.range(0, 200).boxed().map(Object.class::cast).toList());
    }
  }

  @Test
  void eachEmitOfABatchHasItsOwnTargets() {
    try (BrowserTab first = tab("batch-frank");
        BrowserTab second = tab("batch-frank");
        BrowserTab other = tab("batch-gina")) {
      GatewayApi.emit(
              List.of(
                  Map.of(
                      "event",
                      "events",
                      "room",
                      "user:batch-frank",
                      "skip_sid",
                      first.sid(),
                      "data",
                      "1"),
                  Map.of("event", "events", "to", other.sid(), "data", "2"),
                  Map.of(
                      "event",
                      "events",
                      "room",
                      List.of("user:batch-frank", "user:batch-gina"),
                      "data",
                      Map.of("n", 3)),
                  Map.of("event", "events", "data", "4")))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> first.events().size() == 2);
      await().atMost(Duration.ofSeconds(5)).until(() -> second.events().size() == 3);
      await().atMost(Duration.ofSeconds(5)).until(() -> other.events().size() == 3);
      assertThat(first.events()).extracting(String::valueOf).containsExactly("{\"n\":3}", "4");
      assertThat(second.events())
          .extracting(String::valueOf)
          .containsExactly("1", "{\"n\":3}", "4");
      assertThat(other.events()).extracting(String::valueOf).containsExactly("2", "{\"n\":3}", "4");
    }
  }

  @Test
  void aBatchWithOneBadEmitIsRefusedWholeNamingItsIndex() {
    try (BrowserTab tab = tab("batch-hank")) {
      List<Object> emits = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        emits.add(Map.of("event", "events", "room", "user:batch-hank", "data", "early-" + i));
      }
      emits.add(Map.of("event", "events", "room", 7, "data", "bad"));
      emits.add(Map.of("event", "events", "room", "user:batch-hank", "data", "late"));
      GatewayApi.emit(emits)
          .statusCode(400)
          .body("error", equalTo("item 3: room must be a string or a list of strings"))
          .body("field", equalTo("room"))
          .body("item", equalTo(3));
      GatewayApi.emit(List.of()).statusCode(400).body("field", equalTo("body"));
      // Only the marker sent afterwards arrives: nothing of the refused batches was emitted.
      GatewayApi.emit(Map.of("event", "events", "to", tab.sid(), "data", "marker")).statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> !tab.events().isEmpty());
      assertThat(tab.events()).containsExactly("marker");
    }
  }

  @Test
  void aBatchAboveTheCapIsRefusedWithAJsonError() {
    // 10,001 emits: above this profile's 64K body limit before the cap of 10,000 is reached
    // (HostileApiInputTest, with a larger limit, gets the cap's 400).
    List<Map<String, Object>> emits =
        IntStream.rangeClosed(0, 10_000)
            .mapToObj(i -> Map.<String, Object>of("event", "e", "data", i))
            .toList();
    GatewayApi.emit(emits).statusCode(413).body("error", equalTo("Request Entity Too Large"));
  }

  private BrowserTab tab(String userId) {
    BrowserTab tab = BrowserTab.open(gateway, Tokens.valid(userId, userId));
    GatewayApi.awaitSession(userId, tab.sid());
    return tab;
  }
}
