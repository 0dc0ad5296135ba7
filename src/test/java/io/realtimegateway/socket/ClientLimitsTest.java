package io.realtimegateway.socket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.engine.EngineServer;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.TightLimitsProfile;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** Past each per-client limit a request is refused; the client and everyone else carry on. */
@QuarkusTest
@TestProfile(TightLimitsProfile.class)
class ClientLimitsTest {

  @TestHTTPResource("/")
  URI gateway;

  @Inject EngineServer engine;

  @Test
  void aSocketJoinsNoMoreRoomsThanItsLimit() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("rooms-user", "R"))) {
      GatewayApi.awaitSession("rooms-user", tab.sid());
      // Its own room and user:rooms-user count: three more fit under the limit of five.
      for (int room = 1; room <= 5; room++) {
        joinRoom("limit-room-" + room, tab.sid());
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> members("limit-room-3").contains(tab.sid()));
      assertThat(members("limit-room-4")).isEmpty();
      assertThat(members("limit-room-5")).isEmpty();
    }
  }

  @Test
  void aRoomNameOverTheLimitIsNotJoined() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("long-room-user", "L"))) {
      GatewayApi.awaitSession("long-room-user", tab.sid());
      String longName = "r".repeat(33);
      joinRoom(longName, tab.sid());
      joinRoom("short-room", tab.sid());

      await().atMost(Duration.ofSeconds(5)).until(() -> members("short-room").contains(tab.sid()));
      assertThat(members(longName)).isEmpty();
    }
  }

  @Test
  void callsBeyondThePendingLimitAreRefusedWith429() throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("calls-user", "C"))) {
      GatewayApi.awaitSession("calls-user", tab.sid());
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (int call = 0; call < 2; call++) {
        // The tab never answers: each call waits for its 3 s timeout.
        waiting.add(http.sendAsync(callRequest(tab.sid()), HttpResponse.BodyHandlers.ofString()));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> tabSawCalls(tab) == 2);

      HttpResponse<String> third =
          http.send(callRequest(tab.sid()), HttpResponse.BodyHandlers.ofString());

      assertThat(third.statusCode()).isEqualTo(429);
      for (CompletableFuture<HttpResponse<String>> call : waiting) {
        assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
      }
      assertThat(tab.socket().connected()).isTrue();
    }
  }

  @Test
  void anEventNameOverTheLimitIsDropped() {
    try (BrowserTab sender = BrowserTab.open(gateway, Tokens.valid("event-a", "A"));
        BrowserTab listener = BrowserTab.open(gateway, Tokens.valid("event-b", "B"))) {
      GatewayApi.awaitSession("event-a", sender.sid());
      GatewayApi.awaitSession("event-b", listener.sid());
      List<Object> typing = new CopyOnWriteArrayList<>();
      listener.socket().on("events:channel", args -> typing.add(args[0]));
      joinRoom("channel:limits", sender.sid());
      joinRoom("channel:limits", listener.sid());
      await().atMost(Duration.ofSeconds(5)).until(() -> members("channel:limits").size() == 2);

      // "events:channel" has 14 characters, one over this profile's limit.
      sender
          .socket()
          .emit(
              "events:channel",
              new JSONObject(Map.of("channel_id", "limits", "data", Map.of("type", "typing"))));

      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(typing::isEmpty);
      assertThat(sender.socket().connected()).isTrue();
    }
  }

  @Test
  void aUserGetsNoMoreConnectionsThanTheLimit() {
    String token = Tokens.valid("many-tabs", "M");
    try (BrowserTab first = BrowserTab.open(gateway, token);
        BrowserTab second = BrowserTab.open(gateway, token)) {
      GatewayApi.awaitSession("many-tabs", first.sid());
      GatewayApi.awaitSession("many-tabs", second.sid());
      try (BrowserTab third = BrowserTab.open(gateway, token)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !third.socket().connected());
        assertThat(first.socket().connected()).isTrue();
        assertThat(second.socket().connected()).isTrue();
        assertThat(GatewayApi.sessionIds("many-tabs"))
            .containsExactlyInAnyOrder(first.sid(), second.sid());
      }
    }
  }

  @Test
  void handshakesOverTheRatePerAddressGet429() {
    List<Integer> statuses = new ArrayList<>();
    for (int attempt = 0; attempt < 6; attempt++) {
      statuses.add(
          given()
              .header("X-Forwarded-For", "203.0.113.9")
              .queryParam("EIO", "4")
              .queryParam("transport", "websocket")
              .get("/ws/socket.io/")
              .statusCode());
    }
    // Plain HTTP, no upgrade: allowed handshakes get engine.io's 400, the rest 429.
    assertThat(statuses).contains(429);
    assertThat(statuses.subList(0, 3)).containsOnly(400);
    int fromElsewhere =
        given()
            .header("X-Forwarded-For", "203.0.113.10")
            .queryParam("EIO", "4")
            .queryParam("transport", "websocket")
            .get("/ws/socket.io/")
            .statusCode();
    assertThat(fromElsewhere).isEqualTo(400);
  }

  @Test
  void aClientThatStopsReadingIsCutOffAndOthersKeepReceiving() throws Exception {
    try (BrowserTab reader = BrowserTab.open(gateway, Tokens.valid("fast-reader", "F"))) {
      GatewayApi.awaitSession("fast-reader", reader.sid());
      int before = engine.sessionCount();
      WebSocket stalled =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create(
                      gateway.toString().replaceFirst("^http", "ws")
                          + "ws/socket.io/?EIO=4&transport=websocket"),
                  // Never asks for a message: the client reads nothing, as a stuck tab would.
                  new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {}
                  })
              .get(5, TimeUnit.SECONDS);
      stalled.sendText("40", true).get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.sessionCount() == before + 1);

      String chunk = "x".repeat(32 * 1024);
      int emits = 800;
      for (int emit = 0; emit < emits; emit++) {
        GatewayApi.emit(Map.of("event", "events", "data", Map.of("n", emit, "chunk", chunk)))
            .statusCode(202);
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> engine.sessionCount() == before);
      await().atMost(Duration.ofSeconds(20)).until(() -> reader.events().size() == emits);
      assertThat(reader.socket().connected()).isTrue();
      stalled.abort();
    }
  }

  private void joinRoom(String room, String sid) {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("session_id", sid))
        .post("/internal/v1/rooms/{room}/join", room)
        .then()
        .statusCode(200);
  }

  private static List<String> members(String room) {
    return given()
        .get("/internal/v1/rooms/{room}/sessions", room)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("sessions", String.class);
  }

  private HttpRequest callRequest(String sid) {
    return HttpRequest.newBuilder(gateway.resolve("/internal/v1/call"))
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                new JSONObject(
                        Map.of(
                            "session_id", sid, "data", Map.of("type", "ping"), "timeout_ms", 3000))
                    .toString()))
        .build();
  }

  private static long tabSawCalls(BrowserTab tab) {
    return tab.events().size();
  }
}
