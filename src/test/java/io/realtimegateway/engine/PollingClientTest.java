package io.realtimegateway.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.RawPollingClient;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The Java socket.io-client over HTTP long-polling, alone and upgrading to WebSocket: what a tab
 * does over WebSocket works the same.
 */
@QuarkusTest
class PollingClientTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void pollingOnlyTabJoinsReceivesEmitsAndAnswersCalls() throws Exception {
    try (BrowserTab tab =
        BrowserTab.openWithTransports(gateway, Tokens.valid("poll-only", "Ada"), "polling")) {
      assertThat(tab.transportName()).isEqualTo("polling");
      livesTheTabLifeCycle(tab, "poll-only");
      assertThat(tab.transportName()).isEqualTo("polling");
    }
  }

  @Test
  void defaultTabStartsPollingThenUpgradesToWebSocket() throws Exception {
    try (BrowserTab tab =
        BrowserTab.openWithTransports(
            gateway, Tokens.valid("poll-upgrade", "Ada"), "polling", "websocket")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> "websocket".equals(tab.transportName()));
      livesTheTabLifeCycle(tab, "poll-upgrade");
    }
  }

  @Test
  void emitsSentDuringTheUpgradeArriveOnceAndInOrder() {
    try (BrowserTab tab =
        BrowserTab.openWithTransports(
            gateway, Tokens.valid("poll-order", "Ada"), "polling", "websocket")) {
      GatewayApi.awaitSession("poll-order", tab.sid());
      for (int i = 0; i < 50; i++) {
        GatewayApi.emit(
                Map.of(
                    "event",
                    "events",
                    "room",
                    "user:poll-order",
                    "data",
                    GatewayApi.chatEvent("n", Map.of("i", i))))
            .statusCode(202);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> tab.events().size() >= 50);
      List<Integer> received =
          tab.events().stream()
              .map(
                  event ->
                      ((JSONObject) event)
                          .optJSONObject("data")
                          .optJSONObject("data")
                          .optInt("i", -1))
              .toList();
      assertThat(received)
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }
  }

  @Test
  void aServerDisconnectReachesAPollingTab() throws Exception {
    try (BrowserTab tab =
        BrowserTab.openWithTransports(gateway, Tokens.valid("poll-dc", "Ada"), "polling")) {
      CompletableFuture<Object> reason = new CompletableFuture<>();
      tab.socket().on(Socket.EVENT_DISCONNECT, args -> reason.complete(args[0]));
      GatewayApi.awaitSession("poll-dc", tab.sid());

      given()
          .contentType(ContentType.JSON)
          .body(Map.of("session_id", tab.sid()))
          .post("/internal/v1/disconnect")
          .then()
          .statusCode(200);

      // The DISCONNECT packet is queued, then taken by the tab's next GET with the CLOSE.
      assertThat(reason.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    }
  }

  @Test
  void aServerDisconnectWithNoGetWaitingIsTakenByTheNextGet() throws Exception {
    // Raw requests, with production timings: no PING can end the session before the GET.
    RawPollingClient client = new RawPollingClient(gateway, "/ws/socket.io/");
    client.handshake();
    client.post("40");
    String connect = client.nextPayload();
    String socketSid = new JSONObject(connect.substring(2)).getString("sid");

    given()
        .contentType(ContentType.JSON)
        .body(Map.of("session_id", socketSid))
        .post("/internal/v1/disconnect")
        .then()
        .statusCode(200);

    HttpResponse<String> last = client.get();
    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(last.body()).isEqualTo("41");
    // The client then closes, as socket.io-client does after a server DISCONNECT.
    assertThat(client.post("1").body()).isEqualTo("ok");
    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  private static void livesTheTabLifeCycle(BrowserTab tab, String userId) throws Exception {
    assertThat(tab.userJoin(Tokens.valid(userId, "Ada"))).isNotEmpty();
    GatewayApi.awaitSession(userId, tab.sid());

    GatewayApi.emit(
            Map.of(
                "event",
                "events",
                "room",
                "user:" + userId,
                "data",
                GatewayApi.chatEvent("status", Map.of("done", true))))
        .statusCode(202);
    await().atMost(Duration.ofSeconds(5)).until(() -> !tab.events().isEmpty());

    tab.answerCalls(payload -> new Object[] {new JSONObject(Map.of("stdout", "2"))});
    GatewayApi.call(
            Map.of(
                "session_id",
                tab.sid(),
                "data",
                GatewayApi.chatEvent("execute:python", Map.of("code", "1+1"))))
        .statusCode(200)
        .body("result.stdout", equalTo("2"));
  }
}
