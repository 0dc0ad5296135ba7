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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** Without OPEN_WEBUI_BASE_URL the gateway cannot check access, so it refuses the joins. */
@QuarkusTest
class NoBackendTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void joinNoteAndJoinChannelsAreRefused() throws Exception {
    String token = Tokens.valid("member-nobackend", "N");
    try (BrowserTab tab = BrowserTab.open(gateway, token)) {
      GatewayApi.awaitSession("member-nobackend", tab.sid());
      List<Object> received = new CopyOnWriteArrayList<>();
      tab.socket().on("events:note", args -> received.add(args[0]));
      tab.socket().on("events:channel", args -> received.add(args[0]));
      for (var join :
          List.of(
              Map.of("event", "join-note", "note_id", "n1"), Map.of("event", "join-channels"))) {
        CompletableFuture<Object[]> ack = new CompletableFuture<>();
        tab.socket()
            .emit(
                join.get("event"),
                new Object[] {
                  new JSONObject(Map.of("note_id", "n1", "auth", Map.of("token", token)))
                },
                (Ack) ack::complete);
        ack.get(5, TimeUnit.SECONDS);
      }
      GatewayApi.emit(Map.of("event", "events:note", "room", "note:n1", "data", "x"))
          .statusCode(202);
      GatewayApi.emit(Map.of("event", "events:channel", "to", tab.sid(), "data", "direct"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
      assertThat(received).containsExactly("direct");
    }
  }

  @Test
  void chatReadEventsAreAcceptedWithoutEffect() throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("reader", "R"))) {
      CompletableFuture<Object[]> ack = new CompletableFuture<>();
      tab.socket()
          .emit(
              "events:chat",
              new Object[] {
                new JSONObject(Map.of("chat_id", "c1", "data", Map.of("type", "last_read_at")))
              },
              (Ack) ack::complete);
      assertThat(ack.get(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(tab.socket().connected()).isTrue();
    }
  }
}
