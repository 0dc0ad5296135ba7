package io.realtimegateway.emit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.socket.client.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DisconnectApiTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void disconnectingAUserSendsDisconnectToEachOfTheirTabsOnly() throws Exception {
    try (BrowserTab first = tab("dc-alice");
        BrowserTab second = tab("dc-alice");
        BrowserTab other = tab("dc-bob")) {
      CompletableFuture<Object> firstReason = disconnectReason(first);
      CompletableFuture<Object> secondReason = disconnectReason(second);
      disconnect(Map.of("user_id", "dc-alice")).statusCode(200).body("disconnected", equalTo(2));
      // socket.io-client's reason for a server DISCONNECT packet, which it does not retry.
      assertThat(firstReason.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
      assertThat(secondReason.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
      assertThat(other.socket().connected()).isTrue();
      assertThat(GatewayApi.sessionIds("dc-alice")).isEmpty();
    }
  }

  @Test
  void disconnectingOneSessionLeavesTheOthers() throws Exception {
    try (BrowserTab first = tab("dc-carol");
        BrowserTab second = tab("dc-carol")) {
      CompletableFuture<Object> reason = disconnectReason(first);
      disconnect(Map.of("session_id", first.sid()))
          .statusCode(200)
          .body("disconnected", equalTo(1));
      assertThat(reason.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
      assertThat(GatewayApi.sessionIds("dc-carol")).containsExactly(second.sid());
    }
  }

  @Test
  void disconnectNeedsATarget() {
    disconnect(Map.of()).statusCode(400).body("field", equalTo("session_id"));
    disconnect(Map.of("user_id", 3)).statusCode(400).body("field", equalTo("user_id"));
  }

  private BrowserTab tab(String userId) {
    BrowserTab tab = BrowserTab.open(gateway, Tokens.valid(userId, userId));
    GatewayApi.awaitSession(userId, tab.sid());
    return tab;
  }

  private static CompletableFuture<Object> disconnectReason(BrowserTab tab) {
    CompletableFuture<Object> reason = new CompletableFuture<>();
    tab.socket().on(Socket.EVENT_DISCONNECT, args -> reason.complete(args[0]));
    return reason;
  }

  private static io.restassured.response.ValidatableResponse disconnect(Object body) {
    return given().contentType(ContentType.JSON).body(body).post("/internal/v1/disconnect").then();
  }
}
