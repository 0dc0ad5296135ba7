package io.realtimegateway.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.FakeModelServer;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.TcpProxy;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tasks across replica processes sharing a real Redis: a stop reaches the replica running the task
 * whichever replica it is sent to, even across a Redis restart or while that replica alone is cut
 * off from Redis, and a replica that dies leaves no task listed. The tasks stream the built-in
 * {@code echo} model's answer to a long message.
 */
class TaskFailoverIT {

  private static final String P = "open-webui";

  /** Long enough that the echo reply (one word every 50 ms) is still streaming when stopped. */
  private static final String LONG_MESSAGE =
      IntStream.range(0, 2000).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));

  private RedisServer redis;
  private Map<String, String> env;

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
    // Production timings: the 30 s bound for a dead replica's tasks holds with the defaults.
    env =
        Map.of(
            "WEBSOCKET_MANAGER",
            "redis",
            "REDIS_URL",
            redis.url(),
            "WEBUI_SECRET_KEY",
            Tokens.SECRET);
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  private static RequestSpecification at(GatewayProcess replica, String token) {
    return given()
        .baseUri(replica.baseUri().toString())
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON);
  }

  /** Starts an echo completion for the tab's chat on {@code replica}; answers the task id. */
  private static String startEcho(
      GatewayProcess replica, String token, BrowserTab tab, String chatId) {
    return startCompletion(replica, token, tab, chatId, "echo");
  }

  /** Starts a completion of {@code model} for the tab's chat; answers the task id. */
  private static String startCompletion(
      GatewayProcess replica, String token, BrowserTab tab, String chatId, String model) {
    List<String> ids =
        at(replica, token)
            .body(
                Map.of(
                    "model",
                    model,
                    "messages",
                    List.of(Map.of("role", "user", "content", LONG_MESSAGE)),
                    "stream",
                    true,
                    "session_id",
                    tab.sid(),
                    "chat_id",
                    chatId,
                    "id",
                    "message-" + UUID.randomUUID()))
            .post("/api/chat/completions")
            .then()
            .statusCode(200)
            .body("status", equalTo(true))
            .body("chat_id", equalTo(chatId))
            .extract()
            .path("task_ids");
    assertThat(ids).hasSize(1);
    return ids.get(0);
  }

  /** Waits until the tab's user is registered: its user room then receives the task's events. */
  private void awaitSession(BrowserTab tab) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("HGET", P + ":session_pool", tab.sid()) != null);
  }

  private static List<String> types(BrowserTab tab) {
    return tab.events().stream()
        .map(event -> ((JSONObject) event).optJSONObject("data"))
        .map(data -> data == null ? "" : data.optString("type"))
        .toList();
  }

  private static void awaitStreaming(BrowserTab tab) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> types(tab).stream().filter("chat:completion"::equals).count() >= 2);
  }

  @Test
  void aStopSentToAnotherReplicaEndsTheTaskWhereItRunsAndClosesTheModelServersStream() {
    try (FakeModelServer model = FakeModelServer.start()) {
      model.defaultReply(FakeModelServer.Reply.tokens(10_000, 20));
      Map<String, String> withModel = new java.util.HashMap<>(env);
      withModel.put("OPENAI_API_BASE_URL", model.baseUrl());
      try (GatewayProcess runner = GatewayProcess.start("tasks-runner", withModel);
          GatewayProcess other = GatewayProcess.start("tasks-other", withModel)) {
        String token = Tokens.valid("failover-alice", "Alice");
        BrowserTab tab = BrowserTab.open(other.baseUri(), token);
        String chatId = "chat-" + UUID.randomUUID();
        awaitSession(tab);
        String taskId = startCompletion(runner, token, tab, chatId, "fake-model");
        awaitStreaming(tab);
        at(other, token)
            .get("/api/tasks/chat/" + chatId)
            .then()
            .body("task_ids", org.hamcrest.Matchers.contains(taskId));
        assertThat(model.closedStreams()).isEmpty();

        at(other, token)
            .post("/api/tasks/stop/" + taskId)
            .then()
            .statusCode(200)
            .body("message", equalTo("Task " + taskId + " stopped."));

        await().atMost(Duration.ofSeconds(1)).until(() -> types(tab).contains("chat:tasks:cancel"));
        await().atMost(Duration.ofSeconds(1)).until(() -> model.closedStreams().size() == 1);
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () -> assertThat(types(tab).get(types(tab).size() - 1)).isEqualTo("chat:active"));
        assertThat(redis.command("HGET", P + ":tasks", taskId)).isNull();
        tab.close();
      }
    }
  }

  @Test
  void aStopPublishedAroundARedisRestartStillLands() {
    try (GatewayProcess runner = GatewayProcess.start("tasks-restart-runner", env);
        GatewayProcess other = GatewayProcess.start("tasks-restart-other", env)) {
      String token = Tokens.valid("failover-bob", "Bob");
      BrowserTab tab = BrowserTab.open(runner.baseUri(), token);
      String chatId = "chat-" + UUID.randomUUID();
      awaitSession(tab);
      String taskId = startEcho(runner, token, tab, chatId);
      awaitStreaming(tab);

      redis.restart();
      // Right away, before the runner may have resubscribed; the task-id route needs its owner's
      // record, which the runner writes again once back, so the chat route is used by an admin.
      String admin = Tokens.withRole("failover-admin", "Admin", "admin");
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  at(other, admin).post("/api/tasks/stop/" + taskId).then().extract().statusCode()
                      == 200);

      await().atMost(Duration.ofSeconds(10)).until(() -> types(tab).contains("chat:tasks:cancel"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.command("HGET", P + ":tasks", taskId) == null);
      tab.close();
    }
  }

  @Test
  void aStopPublishedWhileTheOwnerIsCutOffFromRedisLandsWhenItIsBack() {
    try (TcpProxy ownerLink = TcpProxy.to(redis.port())) {
      Map<String, String> ownerEnv = new java.util.HashMap<>(env);
      ownerEnv.put("REDIS_URL", ownerLink.redisUrl());
      ownerEnv.put("REDIS_TASK_TTL", "120");
      // Renewals look for stop markers too; far apart here, so what lands the stop within the
      // test's bound is the check made when the subscription comes back.
      ownerEnv.put("GATEWAY_TASKS_RENEW_INTERVAL", "50s");
      Map<String, String> otherEnv = new java.util.HashMap<>(env);
      otherEnv.put("GATEWAY_TASKS_STOP_MARKER_TTL", "45s");
      try (GatewayProcess owner = GatewayProcess.start("tasks-cutoff-owner", ownerEnv);
          GatewayProcess other = GatewayProcess.start("tasks-cutoff-other", otherEnv)) {
        String token = Tokens.valid("failover-dave", "Dave");
        BrowserTab tab = BrowserTab.open(owner.baseUri(), token);
        String chatId = "chat-" + UUID.randomUUID();
        awaitSession(tab);
        String taskId = startEcho(owner, token, tab, chatId);
        awaitStreaming(tab);
        // REDIS_TASK_TTL=120: the record expires within 120 s, not after the default 300 s.
        assertThat((Long) redis.command("PTTL", P + ":gateway:task:" + taskId))
            .isBetween(60_001L, 120_000L);

        ownerLink.cut();
        await("the owner's task-command listener is cut off")
            .atMost(Duration.ofSeconds(10))
            .until(() -> Boolean.FALSE.equals(taskCommandsSubscribed(owner)));
        at(other, token)
            .post("/api/tasks/stop/" + taskId)
            .then()
            .statusCode(200)
            .body("message", equalTo("Task " + taskId + " stopped."));
        String marker = P + ":gateway:task:" + taskId + ":stop";
        assertThat(Long.parseLong((String) redis.command("GET", marker)))
            .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        // GATEWAY_TASKS_STOP_MARKER_TTL=45s on the replica that wrote it.
        assertThat((Long) redis.command("PTTL", marker)).isBetween(30_001L, 45_000L);
        assertThat(types(tab)).doesNotContain("chat:tasks:cancel");
        assertThat(owner.isAlive()).isTrue();

        ownerLink.restore();
        await("the stop lands once the owner is back")
            .atMost(Duration.ofSeconds(20))
            .until(() -> types(tab).contains("chat:tasks:cancel"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> redis.command("HGET", P + ":tasks", taskId) == null);
        tab.close();
      }
    }
  }

  /** The owner's readiness data {@code task-commands-subscribed}, or null when unreadable. */
  private static Boolean taskCommandsSubscribed(GatewayProcess replica) {
    return given()
        .baseUri(replica.baseUri().toString())
        .get("/q/health/ready")
        .then()
        .extract()
        .jsonPath()
        .get("checks.find { it.name == 'redis' }.data.'task-commands-subscribed'");
  }

  @Test
  void theTasksOfAKilledReplicaLeaveEveryListWithin30Seconds() {
    try (GatewayProcess survivor = GatewayProcess.start("tasks-survivor", env);
        GatewayProcess victim = GatewayProcess.start("tasks-victim", env)) {
      String token = Tokens.valid("failover-carol", "Carol");
      BrowserTab tab = BrowserTab.open(survivor.baseUri(), token);
      String chatId = "chat-" + UUID.randomUUID();
      awaitSession(tab);
      String taskId = startEcho(victim, token, tab, chatId);
      awaitStreaming(tab);
      String admin = Tokens.withRole("failover-admin", "Admin", "admin");
      at(survivor, admin)
          .get("/api/tasks")
          .then()
          .body("tasks", org.hamcrest.Matchers.hasItem(taskId));

      victim.kill();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                at(survivor, admin)
                    .get("/api/tasks")
                    .then()
                    .body(
                        "tasks", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(taskId)));
                at(survivor, token)
                    .get("/api/tasks/chat/" + chatId)
                    .then()
                    .body("task_ids", org.hamcrest.Matchers.empty());
              });
      assertThat(redis.command("EXISTS", P + ":tasks:item:" + chatId)).isEqualTo(0L);
      tab.close();
    }
  }
}
