package io.realtimegateway.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.NodeClient;
import io.realtimegateway.support.RawPollingClient;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.RoundRobinBalancer;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-polling across three replicas behind a load balancer without sticky sessions: each request
 * may reach any replica, and a replica forwards a poll for another's session to it. Without the
 * forwarding two polls in three would be refused as unknown sessions.
 */
class PollingWithoutStickySessionsIT {

  private static final String PATH = "/ws/socket.io/";
  private static final char SEPARATOR = '\u001e';

  private RedisServer redis;
  private final List<GatewayProcess> replicas = new ArrayList<>();

  @BeforeEach
  void startFleet() {
    redis = RedisServer.start();
    Map<String, String> env =
        Map.of(
            "WEBSOCKET_MANAGER",
            "redis",
            "REDIS_URL",
            redis.url(),
            "WEBUI_SECRET_KEY",
            Tokens.SECRET,
            "GATEWAY_CLUSTER_ADVERTISED_ADDRESS",
            "127.0.0.1",
            "GATEWAY_CLUSTER_NODE_TTL",
            "4s",
            "GATEWAY_CLUSTER_NODE_HEARTBEAT",
            "1s");
    for (String name : List.of("rr-a", "rr-b", "rr-c")) {
      replicas.add(GatewayProcess.start(name, env));
    }
    // Every replica has written its address; a replica reads one it does not know on demand.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Long.valueOf(3).equals(redis.command("HLEN", "open-webui:gateway:addresses")));
  }

  @AfterEach
  void stopFleet() {
    replicas.forEach(GatewayProcess::close);
    redis.close();
  }

  @Test
  void openWebUiClientOverPollingWorksBehindARoundRobinBalancer() throws Exception {
    try (RoundRobinBalancer balancer =
        RoundRobinBalancer.start(replicas.stream().map(GatewayProcess::baseUri).toList())) {
      NodeClient.run(
          balancer.baseUri(),
          "openwebui-client.e2e.mjs",
          Map.of(
              "TOKEN",
              Tokens.valid("rr-web-client", "Web Client"),
              "USER_ID",
              "rr-web-client",
              "TRANSPORTS",
              "polling"),
          "open-webui client e2e: all checks passed");
      assertThat(balancer.requests()).isGreaterThan(replicas.size());
    }
  }

  @Test
  void everyEventArrivesOnceAndInOrderWhicheverReplicaEachPollReaches() throws Exception {
    RawPollingClient client = new RawPollingClient(baseUris(), PATH);
    client.handshake();
    String socketSid = connect(client, Tokens.valid("rr-order", "Order"));
    int count = 300;
    // The emits go to the user's room through one replica that does not hold the session, while
    // the polls rotate; they start once that replica sees the session in the room.
    URI emitter = replicas.get(1).baseUri();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                given()
                    .baseUri(emitter.toString())
                    .get("/internal/v1/rooms/user:rr-order/sessions")
                    .asString()
                    .contains(socketSid));
    CompletableFuture<Void> emitting =
        CompletableFuture.runAsync(
            () ->
                IntStream.range(0, count)
                    .forEach(
                        n ->
                            given()
                                .baseUri(emitter.toString())
                                .contentType(ContentType.JSON)
                                .body(
                                    Map.of(
                                        "event",
                                        "events",
                                        "room",
                                        "user:rr-order",
                                        "data",
                                        Map.of("n", n)))
                                .post("/internal/v1/emit")
                                .then()
                                .statusCode(202)));
    List<Integer> received = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received.size() < count && System.nanoTime() < deadline) {
      for (String packet : packets(client.get())) {
        if (packet.equals("2")) {
          client.post("3");
        } else if (packet.startsWith("42")) {
          received.add(new JSONArray(packet.substring(2)).getJSONObject(1).getInt("n"));
        }
      }
    }
    emitting.get(10, TimeUnit.SECONDS);
    assertThat(received).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
  }

  @Test
  void callsAreAnsweredThroughAnotherReplicaAndTheDisconnectIsNoticed() throws Exception {
    RawPollingClient client = new RawPollingClient(baseUris(), PATH);
    client.handshake();
    String socketSid = connect(client, Tokens.valid("rr-call", "Call"));
    CompletableFuture<String> call =
        CompletableFuture.supplyAsync(
            () ->
                given()
                    .baseUri(replicas.get(2).baseUri().toString())
                    .contentType(ContentType.JSON)
                    .body(
                        Map.of(
                            "session_id", socketSid, "data", Map.of("q", 1), "timeout_ms", 10_000))
                    .post("/internal/v1/call")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
    String question = null;
    while (question == null) {
      question =
          packets(client.get()).stream().filter(p -> p.startsWith("42")).findFirst().orElse(null);
    }
    // 42<id>["events",{"q":1}]: the answer carries the id back.
    String ackId = question.substring(2, question.indexOf('['));
    assertThat(client.post("43" + ackId + "[{\"a\":2}]").statusCode()).isEqualTo(200);
    assertThat(new JSONObject(call.get(10, TimeUnit.SECONDS)).getJSONObject("result").getInt("a"))
        .isEqualTo(2);

    assertThat(client.post("41" + SEPARATOR + "1").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.command("HGET", "open-webui:session_pool", socketSid) == null);
  }

  @Test
  void aSessionWhoseReplicaDiedIsRefusedAsUnknownSoTheClientReconnects() throws Exception {
    RawPollingClient client = new RawPollingClient(baseUris(), PATH);
    client.handshake();
    connect(client, Tokens.valid("rr-dead", "Dead"));
    replicas.get(0).kill();
    // Right away (the address is still listed, the forward is refused) and after the survivors
    // removed the dead replica: the same engine.io answer, never a hang.
    RawPollingClient survivors =
        new RawPollingClient(List.of(replicas.get(1).baseUri(), replicas.get(2).baseUri()), PATH);
    HttpResponse<String> early = survivors.get(client.sid());
    assertThat(early.statusCode()).isEqualTo(400);
    assertThat(new JSONObject(early.body()).getInt("code")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Long.valueOf(2).equals(redis.command("HLEN", "open-webui:gateway:addresses")));
    HttpResponse<String> late = survivors.get(client.sid());
    assertThat(late.statusCode()).isEqualTo(400);
    assertThat(new JSONObject(late.body()).getInt("code")).isEqualTo(1);
    // A new session through the survivors works as before.
    RawPollingClient again =
        new RawPollingClient(List.of(replicas.get(1).baseUri(), replicas.get(2).baseUri()), PATH);
    again.handshake();
    connect(again, Tokens.valid("rr-dead", "Dead"));
  }

  @Test
  void anUpgradeThatReachesAnotherReplicaIsTunnelledToTheSession() throws Exception {
    RawPollingClient client = new RawPollingClient(List.of(replicas.get(0).baseUri()), PATH);
    client.handshake();
    String socketSid = connect(client, Tokens.valid("rr-upgrade", "Upgrade"));
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    URI other = replicas.get(1).baseUri();
    WebSocket webSocket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://"
                        + other.getHost()
                        + ":"
                        + other.getPort()
                        + PATH
                        + "?EIO=4&transport=websocket&sid="
                        + client.sid()),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frames.add(data.toString());
                    ws.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    webSocket.sendText("2probe", true).get(5, TimeUnit.SECONDS);
    assertThat(frames.poll(5, TimeUnit.SECONDS)).isEqualTo("3probe");
    webSocket.sendText("5", true).get(5, TimeUnit.SECONDS);
    given()
        .baseUri(replicas.get(2).baseUri().toString())
        .contentType(ContentType.JSON)
        .body(Map.of("event", "events", "room", socketSid, "data", Map.of("over", "websocket")))
        .post("/internal/v1/emit")
        .then()
        .statusCode(202);
    String event = frames.poll(5, TimeUnit.SECONDS);
    // A PING may come first, and the NOOP that ended polling moves to the WebSocket when no GET
    // was waiting for it.
    while ("2".equals(event) || "6".equals(event)) {
      if ("2".equals(event)) {
        webSocket.sendText("3", true);
      }
      event = frames.poll(5, TimeUnit.SECONDS);
    }
    assertThat(event).isEqualTo("42[\"events\",{\"over\":\"websocket\"}]");
    webSocket.abort();
  }

  /** Socket.IO CONNECT with the token, then the poll that brings its answer; the socket's sid. */
  private static String connect(RawPollingClient client, String token) throws Exception {
    assertThat(client.post("40" + new JSONObject(Map.of("token", token))).statusCode())
        .isEqualTo(200);
    String answer = client.nextPayload();
    assertThat(answer).startsWith("40");
    return new JSONObject(answer.substring(2)).getString("sid");
  }

  private List<URI> baseUris() {
    return replicas.stream().map(GatewayProcess::baseUri).toList();
  }

  private static List<String> packets(HttpResponse<String> poll) {
    assertThat(poll.statusCode()).as("poll answered: %s", poll.body()).isEqualTo(200);
    return Stream.of(poll.body().split(String.valueOf(SEPARATOR))).toList();
  }
}
