package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RawEngineClient;
import io.realtimegateway.support.RawPollingClient;
import io.realtimegateway.support.ShortTimingsProfile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** Engine.IO v4 HTTP long-polling, request by request, and the upgrade to WebSocket. */
@QuarkusTest
@TestProfile(ShortTimingsProfile.class)
class PollingTest {

  private static final String PATH = "/ws/socket.io/";

  @TestHTTPResource("/")
  URI gateway;

  private RawPollingClient connected() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    client.handshake();
    assertThat(client.post("40").body()).isEqualTo("ok");
    assertThat(client.nextPayload()).startsWith("40{\"sid\":");
    return client;
  }

  @Test
  void handshakeOverGetOffersTheWebSocketUpgrade() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);

    JSONObject open = client.handshake();

    assertThat(open.getString("sid")).hasSize(20);
    assertThat(open.getJSONArray("upgrades").toString()).isEqualTo("[\"websocket\"]");
    assertThat(open.getInt("pingInterval")).isEqualTo(400);
    assertThat(open.getInt("pingTimeout")).isEqualTo(300);
    assertThat(open.getInt("maxPayload")).isEqualTo(1_000_000);
  }

  @Test
  void handshakeResponseIsAPayloadAndAPostIsAnsweredOkAsTextHtml() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    HttpResponse<String> handshake =
        RawPollingClient.send(client.request("EIO=4&transport=polling").GET());
    assertThat(handshake.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    client.handshake();

    HttpResponse<String> post = client.post("40");

    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("ok");
    assertThat(post.headers().firstValue("Content-Type")).hasValue("text/html");
  }

  @Test
  void getWaitsForPacketsThatArePostedLater() throws Exception {
    RawPollingClient client = connected();
    CompletableFuture<HttpResponse<String>> waiting = client.getAsync();
    Thread.sleep(100);
    assertThat(waiting).isNotDone();

    // A Socket.IO event with an ack id: the ack answers on the waiting GET.
    client.post("421[\"heartbeat\",{}]");

    String body = waiting.get(5, TimeUnit.SECONDS).body();
    assertThat(body.equals("2") || body.startsWith("431")).isTrue();
  }

  @Test
  void severalPacketsInOnePostAreHandledInOrder() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    client.handshake();

    assertThat(client.post("40\u001e3\u001e6").body()).isEqualTo("ok");

    assertThat(client.nextPayload()).startsWith("40{\"sid\":");
  }

  @Test
  void clientThatAnswersPingsOverPollingStaysOpen() throws Exception {
    RawPollingClient client = connected();
    for (int ping = 0; ping < 3; ping++) {
      assertThat(client.get().body()).isEqualTo("2");
      assertThat(client.post("3").body()).isEqualTo("ok");
    }
    assertThat(client.post("3").statusCode()).isEqualTo(200);
  }

  @Test
  void clientThatStopsPollingIsClosedOnPingTimeout() throws Exception {
    RawPollingClient client = connected();

    // No GET, so no PONG: closed once ping interval and timeout (700 ms) have passed.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ofMillis(800))
        .until(() -> client.get().statusCode() == 400);
    assertThat(new JSONObject(client.get().body()).getInt("code")).isEqualTo(1);
  }

  @Test
  void aSecondGetWhileOneWaitsClosesTheSession() throws Exception {
    RawPollingClient client = connected();
    CompletableFuture<HttpResponse<String>> first = client.getAsync();
    Thread.sleep(100);

    HttpResponse<String> second = client.get();

    assertThat(second.statusCode()).isEqualTo(400);
    HttpResponse<String> firstAnswer = first.get(5, TimeUnit.SECONDS);
    assertThat(firstAnswer.statusCode()).isEqualTo(200);
    assertThat(firstAnswer.body()).isEqualTo("1");
    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  @Test
  void anInvalidPayloadClosesTheSession() throws Exception {
    RawPollingClient client = connected();

    HttpResponse<String> post = client.post("abc");

    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  @Test
  void aPayloadOverMaxPayloadIsRefusedAndClosesTheSession() throws Exception {
    RawPollingClient client = connected();

    HttpResponse<String> post = client.post("4" + "x".repeat(1_000_000));

    assertThat(post.statusCode()).isEqualTo(413);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.get().statusCode() == 400);
  }

  @Test
  void aClientCloseEndsTheSession() throws Exception {
    RawPollingClient client = connected();

    assertThat(client.post("1").body()).isEqualTo("ok");

    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  @Test
  void unknownSidGets400WithEngineIoCodeAndMessage() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);

    HttpResponse<String> response =
        RawPollingClient.send(client.request("EIO=4&transport=polling&sid=nope").GET());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JSONObject error = new JSONObject(response.body());
    assertThat(error.getInt("code")).isEqualTo(1);
    assertThat(error.getString("message")).isEqualTo("Session ID unknown");
  }

  @Test
  void aPostHandshakeIsRefused() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);

    HttpResponse<String> response =
        RawPollingClient.send(
            client
                .request("EIO=4&transport=polling")
                .POST(HttpRequest.BodyPublishers.ofString("40")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JSONObject(response.body()).getInt("code")).isEqualTo(2);
  }

  @Test
  void allowedOriginsGetCorsWithCredentialsOthersAreRefused() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);

    HttpResponse<String> allowed =
        RawPollingClient.send(
            client.request("EIO=4&transport=polling").header("Origin", "https://chat.example"));
    HttpResponse<String> refused =
        RawPollingClient.send(
            client.request("EIO=4&transport=polling").header("Origin", "https://evil.example"));
    HttpResponse<String> preflight =
        RawPollingClient.send(
            client
                .request("EIO=4&transport=polling&sid=x")
                .header("Origin", "https://chat.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://chat.example");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(new JSONObject(refused.body()).getInt("code")).isEqualTo(4);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValue("OPTIONS, GET, POST");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("content-type");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://chat.example");
  }

  @Test
  void upgradeToWebSocketDeliversBufferedPacketsOnceAndInOrder() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    CompletableFuture<HttpResponse<String>> waiting = openWithAWaitingPoll(client);

    try (RawEngineClient socket = upgradeSocket(client)) {
      socket.send("2probe");
      assertThat(socket.next().text()).isEqualTo("3probe");
      // The waiting GET is released with a NOOP, so the client can pause polling.
      assertThat(waiting.get(5, TimeUnit.SECONDS).body()).endsWith("6");

      // Sent while the upgrade is under way: waits, then goes over the WebSocket.
      client.post("40");
      Thread.sleep(100);
      socket.send("5");

      assertThat(socket.nextText()).startsWith("40{\"sid\":");
      socket.send("42[\"heartbeat\",{}]");
      assertThat(socket.next().text()).isEqualTo("2");
      socket.send("3");
      // The old transport is refused from now on.
      HttpResponse<String> oldPoll = client.get();
      assertThat(oldPoll.statusCode()).isEqualTo(400);
      assertThat(new JSONObject(oldPoll.body()).getInt("code")).isEqualTo(3);
      assertThat(socket.isClosed()).isFalse();
    }
  }

  @Test
  void aPollSentAfterTheProbesNoopIsEndedTooSoTheUpgradeCanFinish() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    CompletableFuture<HttpResponse<String>> waiting = openWithAWaitingPoll(client);

    try (RawEngineClient socket = upgradeSocket(client)) {
      socket.send("2probe");
      assertThat(waiting.get(5, TimeUnit.SECONDS).body()).endsWith("6");
      // A client that read the NOOP before the probe's PONG polls once more; it sends UPGRADE
      // only when that GET ends, which without a nudge is the next PING, 25 s away.
      CompletableFuture<HttpResponse<String>> pollAgain = client.getAsync();
      assertThat(socket.next().text()).isEqualTo("3probe");
      HttpResponse<String> ended = pollAgain.get(5, TimeUnit.SECONDS);
      assertThat(ended.statusCode()).isEqualTo(200);
      assertThat(ended.body()).isEqualTo("6");

      socket.send("5");
      socket.send("40");
      assertThat(socket.nextText()).startsWith("40{\"sid\":");
    }
  }

  /** Opens a polling session and sends a GET that waits (given time to reach the server). */
  private static CompletableFuture<HttpResponse<String>> openWithAWaitingPoll(
      RawPollingClient client) throws InterruptedException {
    client.handshake();
    CompletableFuture<HttpResponse<String>> waiting = client.getAsync();
    Thread.sleep(100);
    return waiting;
  }

  /** A WebSocket opened with the polling session's sid, the first step of an upgrade. */
  private RawEngineClient upgradeSocket(RawPollingClient client) {
    return RawEngineClient.connect(gateway, PATH, "EIO=4&transport=websocket&sid=" + client.sid());
  }

  @Test
  void aWebSocketWithAnUnknownSidIsRefused() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);

    HttpResponse<String> response =
        RawPollingClient.send(client.request("EIO=4&transport=websocket&sid=nope").GET());

    assertThat(response.statusCode()).isEqualTo(400);
  }
}
