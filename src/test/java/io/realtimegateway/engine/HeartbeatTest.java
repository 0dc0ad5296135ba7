package io.realtimegateway.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.RawEngineClient;
import io.realtimegateway.support.ShortTimingsProfile;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ShortTimingsProfile.class)
class HeartbeatTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void clientThatStopsAnsweringPingsIsDropped() throws Exception {
    try (RawEngineClient silent = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      silent.nextText();
      silent.send("40");
      silent.nextText();
      assertThat(silent.next().text()).isEqualTo("2");
      // No PONG: closed once the 300 ms ping timeout has passed.
      silent.closed().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientThatAnswersPingsStaysConnected() {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40");
      client.nextText();
      for (int ping = 0; ping < 4; ping++) {
        assertThat(client.next().text()).isEqualTo("2");
        client.send("3");
      }
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void libraryClientSurvivesManyPingIntervals() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("hb-lib", "L"))) {
      await()
          .during(Duration.ofMillis(2000))
          .atMost(Duration.ofSeconds(5))
          .until(() -> tab.socket().connected());
    }
  }

  @Test
  void connectionThatSendsNoConnectIsClosed() throws Exception {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.closed().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void originOutsideCorsAllowOriginIsRefused() {
    given()
        .header("Origin", "https://evil.example")
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .get("/ws/socket.io/?EIO=4&transport=websocket")
        .then()
        .statusCode(400)
        .body("code", equalTo(4))
        .body("message", equalTo("https://evil.example is not an accepted origin."));
  }

  @Test
  void originInCorsAllowOriginIsAccepted() {
    given()
        .header("Origin", "https://admin.example")
        .get("/ws/socket.io/?EIO=4&transport=websocket")
        .then()
        // Passes the origin check; only the missing upgrade is left to refuse.
        .statusCode(400)
        .header("Access-Control-Allow-Origin", "https://admin.example")
        .body("message", equalTo("Invalid WebSocket upgrade request"));
  }
}
