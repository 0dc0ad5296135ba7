package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
      await().atMost(Duration.ofSeconds(5)).until(() -> "websocket".equals(tab.transportName()));
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
