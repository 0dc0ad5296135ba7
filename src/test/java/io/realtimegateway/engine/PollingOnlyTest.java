package io.realtimegateway.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.RawPollingClient;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** {@code ENABLE_WEBSOCKET_SUPPORT=false}: long-polling only, as Open WebUI then serves it. */
@QuarkusTest
@TestProfile(PollingOnlyTest.WebSocketDisabled.class)
class PollingOnlyTest {

  /** Open WebUI's variable, set to false. */
  public static class WebSocketDisabled implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.engine.enable-websocket-support", "false");
    }
  }

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void pollingHandshakeOffersNoUpgrade() throws Exception {
    JSONObject open = new RawPollingClient(gateway, "/ws/socket.io/").handshake();

    assertThat(open.getJSONArray("upgrades").length()).isZero();
  }

  @Test
  void webSocketHandshakeIsRefusedAsAnUnknownTransport() {
    given()
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .get("/ws/socket.io/?EIO=4&transport=websocket")
        .then()
        .statusCode(400)
        .body("code", equalTo(0))
        .body("message", equalTo("Invalid transport"));
  }

  @Test
  void anUpgradeOfAPollingSessionIsRefused() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, "/ws/socket.io/");
    client.handshake();

    given()
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .get("/ws/socket.io/?EIO=4&transport=websocket&sid=" + client.sid())
        .then()
        .statusCode(400)
        .body("code", equalTo(0));
  }

  @Test
  void openWebUiClientWithItsPollingThenWebSocketListStaysOnPolling() throws Exception {
    // Open WebUI's client asks for ['polling', 'websocket'] when enable_websocket is false.
    try (BrowserTab tab =
        BrowserTab.openWithTransports(
            gateway, Tokens.valid("poll-disabled-ws", "Ada"), "polling", "websocket")) {
      assertThat(tab.userJoin(Tokens.valid("poll-disabled-ws", "Ada"))).isNotEmpty();
      assertThat(tab.transportName()).isEqualTo("polling");
    }
  }
}
