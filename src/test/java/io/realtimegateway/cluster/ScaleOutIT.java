package io.realtimegateway.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisChannelRecorder;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.socket.client.Ack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes and one real redis-server: the replicas behave as one server and speak
 * python-socketio's Redis manager protocol with Open WebUI's Python instances.
 */
class ScaleOutIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PYTHON_HOST = "0123456789abcdef0123456789abcdef";

  private static RedisServer redis;
  private static List<GatewayProcess> replicas;

  @BeforeAll
  static void startFleet() {
    redis = RedisServer.start();
    Map<String, String> env =
        Map.of(
            "WEBSOCKET_MANAGER",
            "redis",
            "REDIS_URL",
            redis.url(),
            "WEBUI_SECRET_KEY",
            Tokens.SECRET);
    replicas =
        List.of(
            GatewayProcess.start("scale-1", env),
            GatewayProcess.start("scale-2", env),
            GatewayProcess.start("scale-3", env));
  }

  @AfterAll
  static void stopFleet() {
    replicas.forEach(GatewayProcess::close);
    redis.close();
  }

  @Test
  void emitOnReplicaThreeReachesTheUserOnReplicaOne() {
    try (BrowserTab tab = tab(0, "scale-emit")) {
      api(2)
          .emit(Map.of("event", "events", "room", "user:scale-emit", "data", Map.of("n", 1)))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> tab.events().size() == 1);
    }
  }

  @Test
  void sessionPoolIsSharedInOpenWebUiLayout() throws Exception {
    try (BrowserTab tab = tab(1, "scale-pool")) {
      JsonNode entry =
          JSON.readTree((String) redis.command("HGET", "open-webui:session_pool", tab.sid()));
      assertThat(entry.get("id").asText()).isEqualTo("scale-pool");
      assertThat(entry.get("last_seen_at").asLong()).isPositive();
      // Every replica answers for the whole fleet.
      api(2).sessions("scale-pool").body("sessions[0].sid", equalTo(tab.sid()));
    }
  }

  @Test
  void messagePublishedByPythonReachesAGatewaySocket() {
    try (BrowserTab tab = tab(0, "scale-python-in")) {
      // Exactly as python-socketio 5.16 publishes it (json.dumps, ", " / ": " separators).
      redis.command(
          "PUBLISH",
          "socketio",
          "{\"method\": \"emit\", \"event\": \"events\", \"data\": [{\"from\": \"python\"}],"
              + " \"binary\": false, \"namespace\": \"/\", \"room\": [\"user:scale-python-in\"],"
              + " \"skip_sid\": null, \"callback\": null, \"host_id\": \""
              + PYTHON_HOST
              + "\"}");
      // Open WebUI 0.11.5 sends a single-room emit on the room's own channel.
      redis.command(
          "PUBLISH",
          "socketio#/#user:scale-python-in",
          "{\"method\": \"emit\", \"event\": \"events\", \"data\": [{\"from\": \"room channel\"}],"
              + " \"binary\": false, \"namespace\": \"/\", \"room\": \"user:scale-python-in\","
              + " \"skip_sid\": null, \"callback\": null, \"host_id\": \""
              + PYTHON_HOST
              + "\"}");
      await().atMost(Duration.ofSeconds(5)).until(() -> tab.events().size() == 2);
      assertThat(tab.events().stream().map(Object::toString))
          .anyMatch(event -> event.contains("python"))
          .anyMatch(event -> event.contains("room channel"));
    }
  }

  @Test
  void gatewayEmitIsPublishedAsPythonSocketioJson() throws Exception {
    try (RedisChannelRecorder python =
        new RedisChannelRecorder(redis.url(), "socketio", "socketio#*")) {
      api(0)
          .emit(
              Map.of(
                  "event",
                  "events",
                  "room",
                  "user:scale-python-out",
                  "data",
                  Map.of("marker", "out-1")))
          .statusCode(202);
      api(0)
          .emit(
              Map.of(
                  "event",
                  "events",
                  "room",
                  List.of("user:a", "user:b"),
                  "skip_sid",
                  "sid-x",
                  "data",
                  Map.of("marker", "out-2")))
          .statusCode(202);
      RedisChannelRecorder.Published single = python.await("out-1", Duration.ofSeconds(5));
      assertThat(single.channel()).isEqualTo("socketio#/#user:scale-python-out");
      JsonNode message = JSON.readTree(single.payload());
      assertThat(message.get("method").asText()).isEqualTo("emit");
      assertThat(message.get("event").asText()).isEqualTo("events");
      assertThat(message.get("data").isArray()).isTrue();
      assertThat(message.get("data").get(0).get("marker").asText()).isEqualTo("out-1");
      assertThat(message.get("binary").asBoolean()).isFalse();
      assertThat(message.get("namespace").asText()).isEqualTo("/");
      assertThat(message.get("room").asText()).isEqualTo("user:scale-python-out");
      assertThat(message.get("skip_sid").isNull()).isTrue();
      assertThat(message.get("callback").isNull()).isTrue();
      assertThat(message.get("host_id").asText()).matches("[0-9a-f]{32}");
      RedisChannelRecorder.Published multi = python.await("out-2", Duration.ofSeconds(5));
      assertThat(multi.channel()).isEqualTo("socketio");
      JsonNode multiRoom = JSON.readTree(multi.payload());
      assertThat(multiRoom.get("room")).hasSize(2);
      assertThat(multiRoom.get("skip_sid").asText()).isEqualTo("sid-x");
    }
  }

  @Test
  void callAcrossReplicasReturnsTheTabsAnswer() {
    try (BrowserTab tab = tab(0, "scale-call")) {
      tab.socket()
          .on(
              "events",
              args -> ((Ack) args[args.length - 1]).call(new JSONObject(Map.of("stdout", "42"))));
      api(2)
          .call(Map.of("session_id", tab.sid(), "data", Map.of("code", "6*7"), "timeout_ms", 5000))
          .statusCode(200)
          .body("result.stdout", equalTo("42"));
    }
  }

  @Test
  void callAcrossReplicasTimesOut() {
    try (BrowserTab tab = tab(0, "scale-call-silent")) {
      api(1)
          .call(Map.of("session_id", tab.sid(), "data", Map.of(), "timeout_ms", 500))
          .statusCode(504);
    }
  }

  @Test
  void pythonInstanceCallsAGatewaySocketAndGetsItsCallback() throws Exception {
    try (BrowserTab tab = tab(1, "scale-python-call");
        RedisChannelRecorder python =
            new RedisChannelRecorder(redis.url(), "socketio", "socketio#*")) {
      tab.socket().on("events", args -> ((Ack) args[args.length - 1]).call("answer-from-tab"));
      redis.command(
          "PUBLISH",
          "socketio",
          "{\"method\": \"emit\", \"event\": \"events\", \"data\": [{\"q\": 1}], \"binary\": false,"
              + " \"namespace\": \"/\", \"room\": \""
              + tab.sid()
              + "\", \"skip_sid\": null, \"callback\": [\""
              + tab.sid()
              + "\", \"/\", 7], \"host_id\": \""
              + PYTHON_HOST
              + "\"}");
      JsonNode callback =
          JSON.readTree(python.await("answer-from-tab", Duration.ofSeconds(5)).payload());
      assertThat(callback.get("method").asText()).isEqualTo("callback");
      assertThat(callback.get("host_id").asText()).isEqualTo(PYTHON_HOST);
      assertThat(callback.get("sid").asText()).isEqualTo(tab.sid());
      assertThat(callback.get("namespace").asText()).isEqualTo("/");
      assertThat(callback.get("id").asLong()).isEqualTo(7);
      assertThat(callback.get("args").get(0).asText()).isEqualTo("answer-from-tab");
    }
  }

  @Test
  void malformedManagerMessagesAreDroppedAndTheListenerLives() {
    try (BrowserTab tab = tab(2, "scale-garbage")) {
      redis.command("PUBLISH", "socketio", "not json");
      redis.command("PUBLISH", "socketio", "{\"method\": \"explode\", \"host_id\": \"x\"}");
      redis.command("PUBLISH", "socketio", "[1,2,3]");
      redis.command("PUBLISH", "socketio#/#user:scale-garbage", "{\"method\": \"emit\"}");
      api(0)
          .emit(Map.of("event", "events", "room", "user:scale-garbage", "data", "still here"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> tab.events().contains("still here"));
    }
  }

  @Test
  void disconnectOnOneReplicaClosesTheTabOnAnother() {
    try (BrowserTab tab = tab(0, "scale-dc")) {
      List<Object> reasons = new CopyOnWriteArrayList<>();
      tab.socket().on(io.socket.client.Socket.EVENT_DISCONNECT, args -> reasons.add(args[0]));
      given()
          .baseUri(replicas.get(2).baseUri().toString())
          .contentType(ContentType.JSON)
          .body(Map.of("user_id", "scale-dc"))
          .post("/internal/v1/disconnect")
          .then()
          .statusCode(200)
          .body("disconnected", equalTo(1));
      await().atMost(Duration.ofSeconds(5)).until(() -> reasons.contains("io server disconnect"));
    }
  }

  @Test
  void roomMembershipAnswersForEveryReplica() {
    try (BrowserTab first = tab(0, "scale-room");
        BrowserTab second = tab(1, "scale-room")) {
      given()
          .baseUri(replicas.get(2).baseUri().toString())
          .get("/internal/v1/rooms/user:scale-room/sessions")
          .then()
          .statusCode(200)
          .body("room", equalTo("user:scale-room"))
          .body("sessions", containsInAnyOrder(first.sid(), second.sid()));
    }
  }

  @Test
  void tokensRevokedInOpenWebUiAreRefused() {
    String jti = "revoked-" + System.nanoTime();
    redis.command("SET", "open-webui:auth:token:" + jti + ":revoked", "1", "EX", "600");
    redis.command(
        "SET",
        "open-webui:auth:user:scale-signed-out:revoked_at",
        Long.toString(System.currentTimeMillis() / 1000 + 5),
        "EX",
        "600");
    try (BrowserTab revokedToken =
            BrowserTab.open(replicas.get(0).baseUri(), Tokens.withJti("scale-revoked", jti));
        BrowserTab signedOut =
            BrowserTab.open(replicas.get(1).baseUri(), Tokens.valid("scale-signed-out", "S"));
        BrowserTab valid = tab(2, "scale-not-revoked")) {
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  redis.command("HGET", "open-webui:session_pool", revokedToken.sid()) == null
                      && redis.command("HGET", "open-webui:session_pool", signedOut.sid()) == null);
    }
  }

  @Test
  void concurrentUsageUpdatesFromEveryReplicaAreAllKept() throws Exception {
    List<BrowserTab> tabs = new CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        tabs.add(tab(i % 3, "scale-usage-" + i));
      }
      // An Open WebUI instance already reports the model for one of its own sessions.
      redis.command(
          "HSET",
          "open-webui:usage_pool",
          "shared",
          "{\"python-sid\": {\"updated_at\": " + System.currentTimeMillis() / 1000 + "}}");
      JSONObject usage =
          new JSONObject(Map.of("action", "chat", "model", "shared", "chat_id", "c"));
      // All at once, from three processes: a read-modify-write of the model's JSON loses some.
      tabs.parallelStream().forEach(tab -> tab.socket().emit("usage", usage));
      Set<String> sids =
          tabs.stream().map(BrowserTab::sid).collect(Collectors.toCollection(TreeSet::new));
      sids.add("python-sid");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(usageSids("shared")).isEqualTo(sids));

      // Half of the tabs leave while the other half report usage again.
      List<BrowserTab> leaving = tabs.subList(0, 15);
      List<BrowserTab> staying = tabs.subList(15, 30);
      Set<String> stayingSids =
          staying.stream().map(BrowserTab::sid).collect(Collectors.toCollection(TreeSet::new));
      stayingSids.add("python-sid");
      CompletableFuture<Void> leave =
          CompletableFuture.runAsync(() -> leaving.parallelStream().forEach(BrowserTab::close));
      staying.parallelStream().forEach(tab -> tab.socket().emit("usage", usage));
      leave.get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(usageSids("shared")).isEqualTo(stayingSids));
    } finally {
      tabs.forEach(BrowserTab::close);
      redis.command("HDEL", "open-webui:usage_pool", "shared");
    }
  }

  private static Set<String> usageSids(String model) throws Exception {
    String value = (String) redis.command("HGET", "open-webui:usage_pool", model);
    if (value == null) {
      return Set.of();
    }
    Set<String> sids = new TreeSet<>();
    JSON.readTree(value).fieldNames().forEachRemaining(sids::add);
    return sids;
  }

  @Test
  void usageCleanupWaitsWhileAnotherProcessHoldsOpenWebUisLock() {
    long stale = System.currentTimeMillis() / 1000 - 60;
    // A Python instance owns the cleaner now.
    redis.command("SET", "open-webui:usage_cleanup_lock", "python-owner", "PX", "60000");
    redis.command(
        "HSET",
        "open-webui:usage_pool",
        "stale-model",
        "{\"old-sid\": {\"updated_at\": " + stale + "}}");
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> redis.command("HGET", "open-webui:usage_pool", "stale-model") != null);
    // The owner goes away: a replica takes the lock and cleans.
    redis.command("DEL", "open-webui:usage_cleanup_lock");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("HGET", "open-webui:usage_pool", "stale-model") == null);
    assertThat((String) redis.command("GET", "open-webui:usage_cleanup_lock"))
        .matches("[0-9a-f]{32}");
  }

  @Test
  void roomChangesReachSocketsOnOtherReplicasAndPythonInstances() throws Exception {
    redis.command(
        "HSET",
        "open-webui:session_pool",
        "py-sid-1",
        "{\"id\": \"scale-py-user\", \"last_seen_at\": 1}");
    try (BrowserTab tab = tab(0, "scale-join");
        RedisChannelRecorder python =
            new RedisChannelRecorder(redis.url(), "socketio", "socketio#*")) {
      given()
          .baseUri(replicas.get(2).baseUri().toString())
          .contentType(ContentType.JSON)
          .body(Map.of("user_id", List.of("scale-join", "scale-py-user")))
          .post("/internal/v1/rooms/channel:it/join")
          .then()
          .statusCode(200)
          .body("sessions", equalTo(2));
      JsonNode enter = JSON.readTree(python.await("py-sid-1", Duration.ofSeconds(5)).payload());
      assertThat(enter.get("method").asText()).isEqualTo("enter_room");
      assertThat(enter.get("room").asText()).isEqualTo("channel:it");
      assertThat(enter.get("namespace").asText()).isEqualTo("/");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                api(1).emit(Map.of("event", "events", "room", "channel:it", "data", "in-channel"));
                return tab.events().contains("in-channel");
              });

      given()
          .baseUri(replicas.get(2).baseUri().toString())
          .delete("/internal/v1/rooms/channel:it")
          .then()
          .statusCode(200);
      JsonNode close = JSON.readTree(python.await("close_room", Duration.ofSeconds(5)).payload());
      assertThat(close.get("room").asText()).isEqualTo("channel:it");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  given()
                      .baseUri(replicas.get(1).baseUri().toString())
                      .get("/internal/v1/rooms/channel:it/sessions")
                      .then()
                      .extract()
                      .jsonPath()
                      .getList("sessions")
                      .isEmpty());
    } finally {
      redis.command("HDEL", "open-webui:session_pool", "py-sid-1");
    }
  }

  @Test
  void pythonEnterRoomJoinsAGatewaySocket() {
    try (BrowserTab tab = tab(1, "scale-py-enter")) {
      redis.command(
          "PUBLISH",
          "socketio",
          "{\"method\": \"enter_room\", \"sid\": \""
              + tab.sid()
              + "\", \"room\": \"note:py\", \"namespace\": \"/\", \"host_id\": \""
              + PYTHON_HOST
              + "\"}");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                api(0).emit(Map.of("event", "events", "room", "note:py", "data", "note-update"));
                return tab.events().contains("note-update");
              });
    }
  }

  @Test
  void binaryEmitFromPythonArrivesAsBinary() {
    try (BrowserTab tab = tab(2, "scale-binary")) {
      java.util.List<Object> received = new java.util.concurrent.CopyOnWriteArrayList<>();
      tab.socket().on("ydoc:document:update", args -> received.add(args[0]));
      redis.command(
          "PUBLISH",
          "socketio",
          "{\"method\": \"emit\", \"event\": \"ydoc:document:update\", \"data\":"
              + " [[{\"update\": {\"_placeholder\": true, \"num\": 0}}], \"AQID\"], \"binary\": true,"
              + " \"namespace\": \"/\", \"room\": \"user:scale-binary\", \"skip_sid\": null,"
              + " \"callback\": null, \"host_id\": \""
              + PYTHON_HOST
              + "\"}");
      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
      assertThat(((JSONObject) received.get(0)).opt("update")).isEqualTo(new byte[] {1, 2, 3});
    }
  }

  private static BrowserTab tab(int replica, String userId) {
    BrowserTab tab = BrowserTab.open(replicas.get(replica).baseUri(), Tokens.valid(userId, userId));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.command("HGET", "open-webui:session_pool", tab.sid()) != null);
    return tab;
  }

  private static ReplicaApi api(int replica) {
    return new ReplicaApi(replicas.get(replica).baseUri().toString());
  }

  /** The backend API of one replica. */
  record ReplicaApi(String baseUri) {
    ValidatableResponse emit(Object body) {
      return given()
          .baseUri(baseUri)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/internal/v1/emit")
          .then();
    }

    ValidatableResponse call(Object body) {
      return given()
          .baseUri(baseUri)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/internal/v1/call")
          .then();
    }

    ValidatableResponse sessions(String userId) {
      return given()
          .baseUri(baseUri)
          .queryParam("user_id", userId)
          .get("/internal/v1/sessions")
          .then();
    }
  }
}
