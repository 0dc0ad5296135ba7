package io.realtimegateway.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CustomPathTest.RealtimePath.class)
class CustomPathTest {

  /** gateway.engine.path=/realtime/socket.io */
  public static class RealtimePath implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.engine.path", "/realtime/socket.io");
    }
  }

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void socketIoIsServedOnTheConfiguredPathOnly() {
    try (BrowserTab tab =
        BrowserTab.open(
            gateway, "/realtime/socket.io", Tokens.valid("path-user", "P"), "/", true)) {
      GatewayApi.awaitSession("path-user", tab.sid());
      assertThat(tab.socket().connected()).isTrue();
    }
    given()
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .get("/ws/socket.io/?EIO=4&transport=websocket")
        .then()
        .statusCode(404);
  }
}
