package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RawEngineClient;
import io.realtimegateway.support.RawPollingClient;
import io.realtimegateway.support.ShortTimingsProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Long-polling requests a client library would not send: each gets engine.io's error answer, and
 * neither the gateway nor any other session keeps anything of it.
 */
@QuarkusTest
@TestProfile(ShortTimingsProfile.class)
class HostilePollingTest {

  private static final String PATH = "/ws/socket.io/";

  @TestHTTPResource("/")
  URI gateway;

  @Inject EngineServer server;

  /** A polling client connected to the main namespace; its Socket.IO sid. */
  private String connect(RawPollingClient client) throws Exception {
    client.handshake();
    assertThat(client.post("40").body()).isEqualTo("ok");
    String answer = client.nextPayload();
    assertThat(answer).startsWith("40{\"sid\":");
    return new JSONObject(answer.substring(2)).getString("sid");
  }

  @Test
  void aChunkedPostOverMaxPayloadIsRefusedAndClosesTheSession() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    connect(client);
    byte[] body = ("4" + "x".repeat(1_200_000)).getBytes(StandardCharsets.UTF_8);
    // No Content-Length: the body comes in chunks and is refused once it passes the limit.
    HttpResponse<String> post =
        RawPollingClient.send(
            client
                .request("EIO=4&transport=polling&sid=" + client.sid())
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));
    assertThat(post.statusCode()).isEqualTo(413);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.get().statusCode() == 400);
  }

  @Test
  void aBinaryContentTypeIsRefusedAsEngineIoRefusesIt() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    connect(client);
    HttpResponse<String> post =
        RawPollingClient.send(
            client
                .request("EIO=4&transport=polling&sid=" + client.sid())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {4, 1, 2})));
    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(new JSONObject(post.body()).getInt("code")).isEqualTo(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.get().statusCode() == 400);
  }

  @Test
  void anotherSessionsSocketIoSidOpensNothingAndTakesNothing() throws Exception {
    RawPollingClient victim = new RawPollingClient(gateway, PATH);
    String socketSid = connect(victim);
    // A client PING queues the PONG for the victim's next GET.
    assertThat(victim.post("2").body()).isEqualTo("ok");

    // The Socket.IO sid is what other users can see (rooms, session lists); it is not the
    // Engine.IO sid the transport needs, so it opens nothing.
    RawPollingClient attacker = new RawPollingClient(gateway, PATH);
    HttpResponse<String> stolenGet = attacker.get(socketSid);
    assertThat(stolenGet.statusCode()).isEqualTo(400);
    assertThat(new JSONObject(stolenGet.body()).getInt("code")).isEqualTo(1);
    HttpResponse<String> stolenPost =
        RawPollingClient.send(
            attacker
                .request("EIO=4&transport=polling&sid=" + socketSid)
                .POST(HttpRequest.BodyPublishers.ofString("41")));
    assertThat(stolenPost.statusCode()).isEqualTo(400);

    assertThat(victim.nextPayload()).isEqualTo("3");
  }

  @Test
  void aFloodOfPollsForUnknownSidsOpensNothing() throws Exception {
    RawPollingClient bystander = new RawPollingClient(gateway, PATH);
    connect(bystander);
    try (RawPollingClient.Poller polls = bystander.keepPolling()) {
      int before = server.sessionCount();
      flood(2_000);
      // Other tests' sessions may end meanwhile; none may have been added.
      assertThat(server.sessionCount()).isLessThanOrEqualTo(before);
      assertThat(bystander.post("2").body()).isEqualTo("ok");
      assertThat(polls.next()).isEqualTo("3");
      assertThat(polls.isServed()).isTrue();
    }
  }

  private void flood(int requests) throws Exception {
    RawPollingClient flood = new RawPollingClient(gateway, PATH);
    for (int i = 0; i < requests; i++) {
      String sid = SessionIds.withTag(i);
      HttpResponse<String> answer =
          i % 2 == 0
              ? flood.get(sid)
              : RawPollingClient.send(
                  flood
                      .request("EIO=4&transport=polling&sid=" + sid)
                      .POST(HttpRequest.BodyPublishers.ofString("40")));
      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(new JSONObject(answer.body()).getInt("code")).isEqualTo(1);
    }
  }

  @Test
  void anUpgradeThatNeverCompletesIsClosedAndPollingGoesOn() throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, PATH);
    connect(client);
    try (RawPollingClient.Poller polls = client.keepPolling();
        RawEngineClient socket =
            RawEngineClient.connect(
                gateway, PATH, "EIO=4&transport=websocket&sid=" + client.sid())) {
      // No probe, no UPGRADE: the WebSocket is dropped after the upgrade timeout (1 s here).
      assertThat(socket.closed().get(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(client.post("2").body()).isEqualTo("ok");
      assertThat(polls.next()).isEqualTo("3");
      assertThat(polls.isServed()).isTrue();
    }
  }
}
