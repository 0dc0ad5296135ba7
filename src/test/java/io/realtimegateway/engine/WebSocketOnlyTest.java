package io.realtimegateway.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GATEWAY_TRANSPORTS=websocket}: WebSocket only, as Open WebUI serves by default. */
@QuarkusTest
@TestProfile(WebSocketOnlyTest.WebSocketOnly.class)
class WebSocketOnlyTest {

  /** The transports named explicitly; they win over ENABLE_WEBSOCKET_SUPPORT. */
  public static class WebSocketOnly implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.engine.transports", "websocket",
          "gateway.engine.enable-websocket-support", "false");
    }
  }

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void pollingIsRefusedAsAnUnknownTransport() {
    given()
        .get("/ws/socket.io/?EIO=4&transport=polling")
        .then()
        .statusCode(400)
        .body("code", equalTo(0))
        .body("message", equalTo("Invalid transport"));
  }

  @Test
  void webSocketTabsConnect() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("ws-only", "Ada"))) {
      assertThat(tab.transportName()).isEqualTo("websocket");
    }
  }
}
