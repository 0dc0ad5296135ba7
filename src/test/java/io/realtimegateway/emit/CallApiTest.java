package io.realtimegateway.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.socket.client.Ack;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CallApiTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void callReturnsTheTabsSingleAckArgument() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("call-ok", "Ada"))) {
      tab.socket()
          .on(
              "events",
              args -> {
                JSONObject event = (JSONObject) args[0];
                Ack ack = (Ack) args[args.length - 1];
                ack.call(
                    new JSONObject(
                        Map.of("stdout", "echo:" + event.optJSONObject("data").optString("type"))));
              });
      GatewayApi.call(
              Map.of(
                  "session_id",
                  tab.sid(),
                  "data",
                  GatewayApi.chatEvent("execute:python", Map.of("code", "1+1"))))
          .statusCode(200)
          .body("result.stdout", equalTo("echo:execute:python"));
    }
  }

  @Test
  void severalAckArgumentsComeBackAsAListAndNoneAsNull() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("call-many", "Ada"))) {
      tab.socket().on("tool", args -> ((Ack) args[args.length - 1]).call("a", 2));
      tab.socket().on("nothing", args -> ((Ack) args[args.length - 1]).call());
      GatewayApi.call(Map.of("session_id", tab.sid(), "event", "tool", "data", Map.of()))
          .statusCode(200)
          .body("result", contains("a", 2));
      GatewayApi.call(Map.of("session_id", tab.sid(), "event", "nothing", "data", Map.of()))
          .statusCode(200)
          .body("result", nullValue());
    }
  }

  @Test
  void callThatIsNotAnsweredTimesOut() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("call-silent", "Ada"))) {
      GatewayApi.call(Map.of("session_id", tab.sid(), "data", Map.of(), "timeout_ms", 300))
          .statusCode(504)
          .body(
              "error", equalTo("Event call timed out. The browser tab may be inactive or closed."));
    }
  }

  @Test
  void callOnBehalfOfAUserReachesOnlyThatUsersSession() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("call-owner", "Ada"))) {
      GatewayApi.awaitSession("call-owner", tab.sid());
      List<Object> calls = new CopyOnWriteArrayList<>();
      tab.socket()
          .on(
              "events",
              args -> {
                calls.add(args[0]);
                ((Ack) args[args.length - 1]).call("ran");
              });
      GatewayApi.call(Map.of("session_id", tab.sid(), "user_id", "call-other", "data", Map.of()))
          .statusCode(404)
          .body("error", equalTo("Client session disconnected."));
      assertThat(calls).isEmpty();
      GatewayApi.call(Map.of("session_id", tab.sid(), "user_id", "call-owner", "data", Map.of()))
          .statusCode(200)
          .body("result", equalTo("ran"));
      assertThat(calls).hasSize(1);
    }
  }

  @Test
  void callToUnknownSessionIsNotFound() {
    GatewayApi.call(Map.of("session_id", "no-such-sid", "data", Map.of()))
        .statusCode(404)
        .body("error", equalTo("Client session disconnected."));
  }

  @Test
  void disconnectDuringPendingCallEndsItAtOnce() throws Exception {
    BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("call-gone", "Ada"));
    CompletableFuture<Void> asked = new CompletableFuture<>();
    tab.socket().on("events", args -> asked.complete(null));
    var executor = Executors.newSingleThreadExecutor();
    try {
      long started = System.nanoTime();
      Future<Integer> status =
          executor.submit(
              () ->
                  GatewayApi.call(
                          Map.of("session_id", tab.sid(), "data", Map.of(), "timeout_ms", 60_000))
                      .body("error", equalTo("Client session disconnected."))
                      .extract()
                      .statusCode());
      asked.get(5, TimeUnit.SECONDS);
      tab.close();
      assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(404);
      // Far less than the call's own 60 s timeout: the disconnect ended it.
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void badCallBodiesAreRefusedNamingTheField() {
    GatewayApi.call(Map.of("data", 1)).statusCode(400).body("field", equalTo("session_id"));
    GatewayApi.call(Map.of("session_id", "x", "timeout_ms", -5))
        .statusCode(400)
        .body("field", equalTo("timeout_ms"));
    GatewayApi.call(Map.of("session_id", "x", "timeout_ms", "soon"))
        .statusCode(400)
        .body("field", equalTo("timeout_ms"));
    GatewayApi.call(Map.of("session_id", "x", "event", 3))
        .statusCode(400)
        .body("field", equalTo("event"));
  }
}
