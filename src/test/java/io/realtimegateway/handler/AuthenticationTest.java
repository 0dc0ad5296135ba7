package io.realtimegateway.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.socket.client.Ack;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthenticationTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void validTokenRegistersTheSessionAndJoinsTheUserRoom() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("auth-ok", "Ada"), "/", false)) {
      GatewayApi.awaitSession("auth-ok", tab.sid());
      GatewayApi.emit(Map.of("event", "events", "room", "user:auth-ok", "data", Map.of("n", 1)))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> tab.events().size() == 1);
    }
  }

  @Test
  void invalidTokenStaysConnectedButJoinsNoRoom() throws Exception {
    assertConnectedWithoutUser(Tokens.signedWithOtherSecret("auth-bad"), "auth-bad");
  }

  @Test
  void expiredTokenStaysConnectedButJoinsNoRoom() throws Exception {
    assertConnectedWithoutUser(Tokens.expired("auth-expired"), "auth-expired");
  }

  @Test
  void pendingUserIsRefused() throws Exception {
    assertConnectedWithoutUser(Tokens.withRole("auth-pending", "P", "pending"), "auth-pending");
  }

  @Test
  void userJoinAcknowledgesIdAndName() throws Exception {
    String token = Tokens.valid("auth-join", "Grace");
    try (BrowserTab tab = BrowserTab.open(gateway, null, "/", false)) {
      CompletableFuture<Object> ack = new CompletableFuture<>();
      tab.socket()
          .emit(
              "user-join",
              new Object[] {new JSONObject(Map.of("auth", Map.of("token", token)))},
              (Ack) args -> ack.complete(args.length == 0 ? null : args[0]));
      JSONObject answer = (JSONObject) ack.get(5, TimeUnit.SECONDS);
      assertThat(answer.getString("id")).isEqualTo("auth-join");
      assertThat(answer.getString("name")).isEqualTo("Grace");
      GatewayApi.awaitSession("auth-join", tab.sid());
    }
  }

  @Test
  void userJoinWithInvalidTokenAcknowledgesNothing() throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, null, "/", false)) {
      CompletableFuture<Object[]> ack = new CompletableFuture<>();
      tab.socket()
          .emit(
              "user-join",
              new Object[] {new JSONObject(Map.of("auth", Map.of("token", "not-a-jwt")))},
              (Ack) ack::complete);
      assertThat(ack.get(5, TimeUnit.SECONDS)).isEmpty();
    }
  }

  private void assertConnectedWithoutUser(String token, String userId) throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, token)) {
      assertThat(tab.socket().connected()).isTrue();
      // A heartbeat round trip proves the server handled everything the tab sent before it.
      CompletableFuture<Object[]> heartbeat = new CompletableFuture<>();
      tab.socket().emit("heartbeat", new Object[] {new JSONObject()}, (Ack) heartbeat::complete);
      heartbeat.get(5, TimeUnit.SECONDS);
      assertThat(GatewayApi.sessionIds(userId)).isEmpty();
      GatewayApi.emit(Map.of("event", "events", "room", "user:" + userId, "data", "x"))
          .statusCode(202);
      GatewayApi.emit(Map.of("event", "events", "to", tab.sid(), "data", "direct")).statusCode(202);
      // The direct emit arrives; the user-room emit before it never does.
      await().atMost(Duration.ofSeconds(5)).until(() -> !tab.events().isEmpty());
      assertThat(tab.events()).containsExactly("direct");
      assertThat(tab.socket().connected()).isTrue();
    }
  }
}
