package io.realtimegateway.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.CapturedLog;
import io.realtimegateway.support.RedisChannelRecorder;
import io.realtimegateway.support.RedisModeProfile;
import io.realtimegateway.support.RedisModeResource;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The task registry in Open WebUI's Redis layout, shared with its Python instances: what the
 * gateway writes, what it reads of theirs, and stop commands in Open WebUI's own JSON.
 */
@QuarkusTest
@TestProfile(RedisModeProfile.class)
class RedisTaskRegistryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String P = RedisModeProfile.PREFIX;

  @Inject Tasks tasks;
  @Inject ReplicaId replica;

  @TestHTTPResource("/")
  URI gateway;

  private static RedisServer redis() {
    return RedisModeResource.server();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> members(String key) {
    return (List<Object>) redis().command("SMEMBERS", key);
  }

  private static String chat() {
    return "chat-" + UUID.randomUUID();
  }

  private String start(String chatId, String userId, TaskWork work) {
    return tasks.start(chatId, userId, work).await().atMost(WAIT);
  }

  @Test
  void writesTasksInOpenWebUisLayoutWithAnExpiringRecordOfItsOwner() throws Exception {
    String chatId = chat();
    UntilStopped work = new UntilStopped();
    String taskId = start(chatId, "redis-alice", work);

    assertThat(redis().command("HGET", P + ":tasks", taskId)).isEqualTo(chatId);
    assertThat(members(P + ":tasks:item:" + chatId)).containsExactly(taskId);
    JSONObject record =
        new JSONObject((String) redis().command("GET", P + ":gateway:task:" + taskId));
    assertThat(record.getString("user_id")).isEqualTo("redis-alice");
    assertThat(record.getString("node")).isEqualTo(replica.value());
    long ttl = (Long) redis().command("PTTL", P + ":gateway:task:" + taskId);
    assertThat(ttl).isBetween(1L, 60_000L);

    // The replica running it keeps it alive: the expiry is renewed (every second here).
    redis().command("PEXPIRE", P + ":gateway:task:" + taskId, "3000");
    await()
        .atMost(WAIT)
        .until(() -> (Long) redis().command("PTTL", P + ":gateway:task:" + taskId) > 10_000L);

    work.outcome.complete(TaskOutcome.FINISHED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(redis().command("HGET", P + ":tasks", taskId)).isNull();
              assertThat(redis().command("EXISTS", P + ":tasks:item:" + chatId)).isEqualTo(0L);
              assertThat(redis().command("EXISTS", P + ":gateway:task:" + taskId)).isEqualTo(0L);
            });
  }

  @Test
  void aStopPublishedAsOpenWebUiJsonCancelsAGatewayTask() {
    UntilStopped work = new UntilStopped();
    String taskId = start(chat(), "redis-alice", work);

    redis()
        .command(
            "PUBLISH",
            P + ":tasks:commands",
            "{\"action\": \"stop\", \"task_id\": \"" + taskId + "\"}");

    await().atMost(WAIT).until(work.outcome::isDone);
    assertThat(work.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
  }

  @Test
  void junkAndAFloodOfStopsForUnknownIdsCostADebugLineAndStopNothing() {
    UntilStopped work = new UntilStopped();
    String taskId = start(chat(), "redis-alice", work);
    UntilStopped fence = new UntilStopped();
    String fenceId = start(chat(), "redis-alice", fence);
    List<String> unknown =
        IntStream.range(0, 200)
            .mapToObj(i -> "unknown-task-" + i + "-" + UUID.randomUUID())
            .toList();

    try (CapturedLog log =
        CapturedLog.of(
            "io.realtimegateway.task",
            "io.realtimegateway.redis",
            "io.quarkus.redis",
            "io.vertx",
            "io.smallrye.mutiny")) {
      for (String junk :
          List.of(
              "not json",
              "[]",
              "null",
              "{\"action\": \"pause\", \"task_id\": \"" + taskId + "\"}",
              "{\"action\": \"stop\", \"task_id\": 42}",
              "{\"action\": \"stop\"}",
              "{\"task_id\": \"" + taskId + "\"}")) {
        publish(junk);
      }
      for (String id : unknown) {
        publish("{\"action\": \"stop\", \"task_id\": \"" + id + "\"}");
      }
      // Commands of one channel arrive in order: once the fence is stopped, all of the above has
      // been handled.
      publish("{\"action\": \"stop\", \"task_id\": \"" + fenceId + "\"}");
      await().atMost(WAIT).until(fence.outcome::isDone);

      assertThat(work.outcome).as("the task named only by junk still runs").isNotDone();
      assertThat(tasks.runningHere()).extracting(TaskEntry::taskId).contains(taskId);
      assertThat(log.aboveDebug()).as("log lines above debug").isEmpty();
      assertThat(log.debugMessages())
          .as("one debug line per unknown id")
          .filteredOn(message -> message.contains("unknown-task-"))
          .hasSize(unknown.size());
    }

    publish("{\"action\":\"stop\",\"task_id\":\"" + taskId + "\"}");
    await().atMost(WAIT).until(work.outcome::isDone);
    assertThat(work.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
  }

  private static void publish(String command) {
    redis().command("PUBLISH", P + ":tasks:commands", command);
  }

  @Test
  void listsTasksAPythonInstanceRegisteredAndStopsThemWithOpenWebUisCommand() throws Exception {
    String chatId = chat();
    String pythonTask = UUID.randomUUID().toString();
    redis().command("HSET", P + ":tasks", pythonTask, chatId);
    redis().command("SADD", P + ":tasks:item:" + chatId, pythonTask);
    String admin = "Bearer " + Tokens.withRole("redis-admin", "Admin", "admin");

    given()
        .header("Authorization", admin)
        .get("/api/tasks")
        .then()
        .body("tasks", hasItem(pythonTask));
    given()
        .header("Authorization", admin)
        .get("/api/tasks/chat/" + chatId)
        .then()
        .body("task_ids", hasItem(pythonTask));
    // Nobody but an admin owns a task the gateway did not start.
    given()
        .header("Authorization", "Bearer " + Tokens.valid("redis-alice", "Alice"))
        .get("/api/tasks/chat/" + chatId)
        .then()
        .body("task_ids", org.hamcrest.Matchers.empty());

    try (RedisChannelRecorder commands =
        new RedisChannelRecorder(redis().url(), P + ":tasks:commands", null)) {
      given()
          .header("Authorization", admin)
          .post("/api/tasks/stop/" + pythonTask)
          .then()
          .statusCode(200)
          .body("status", equalTo(true))
          .body("message", equalTo("Task " + pythonTask + " stopped."));
      JSONObject command = new JSONObject(commands.await(pythonTask, WAIT).payload());
      assertThat(command.getString("action")).isEqualTo("stop");
      assertThat(command.getString("task_id")).isEqualTo(pythonTask);
    }
    assertThat(redis().command("HGET", P + ":tasks", pythonTask)).isNull();
    assertThat(redis().command("EXISTS", P + ":tasks:item:" + chatId)).isEqualTo(0L);
  }

  @Test
  void aStopMarkerLeftWhileThisReplicaWasAwayStopsTheTask() {
    UntilStopped work = new UntilStopped();
    String taskId = start(chat(), "redis-alice", work);

    // What another replica leaves when it cannot be sure this one heard the command.
    redis()
        .command(
            "SET",
            P + ":gateway:task:" + taskId + ":stop",
            Long.toString(System.currentTimeMillis()),
            "PX",
            "60000");

    await().atMost(WAIT).until(work.outcome::isDone);
    assertThat(work.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
  }

  @Test
  void removesTheTasksOfAReplicaThatDiedAndLeftoversOfItsOwn() {
    String chatId = chat();
    String deadTask = UUID.randomUUID().toString();
    String dead = "dead-replica-" + UUID.randomUUID();
    redis().command("SADD", P + ":gateway:nodes", dead);
    redis().command("SADD", P + ":gateway:node:" + dead + ":tasks", deadTask);
    redis().command("HSET", P + ":tasks", deadTask, chatId);
    redis().command("SADD", P + ":tasks:item:" + chatId, deadTask);
    // A task this replica listed but no longer runs (its removal failed while Redis was away).
    String leftover = UUID.randomUUID().toString();
    redis().command("SADD", P + ":gateway:node:" + replica.value() + ":tasks", leftover);
    redis().command("HSET", P + ":tasks", leftover, "");
    String running = start(chatId, "redis-alice", new UntilStopped());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(redis().command("HGET", P + ":tasks", deadTask)).isNull();
              assertThat(redis().command("HGET", P + ":tasks", leftover)).isNull();
              assertThat(members(P + ":tasks:item:" + chatId)).containsExactly(running);
            });
    tasks.stop(running).await().atMost(WAIT);
  }

  @Test
  void writesItsTasksAgainWhenRedisLostThem() {
    String chatId = chat();
    String taskId = start(chatId, "redis-alice", new UntilStopped());

    redis()
        .command("DEL", P + ":tasks", P + ":tasks:item:" + chatId, P + ":gateway:task:" + taskId);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(redis().command("HGET", P + ":tasks", taskId)).isEqualTo(chatId);
              assertThat(members(P + ":tasks:item:" + chatId)).containsExactly(taskId);
            });
    tasks.stop(taskId).await().atMost(WAIT);
  }

  @Test
  void readinessShowsTheTaskCommandListener() {
    // Right after start-up the first liveness renewal may still be on its way.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body(
                        "checks.find { it.name == 'redis' }.data.'task-commands-subscribed'",
                        equalTo(true)));
  }

  @Test
  void relaysDirectConnectionChunksOfTheSendersOwnUserOnly() throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("redis-erin", "Erin"));
        RedisChannelRecorder relay =
            new RedisChannelRecorder(redis().url(), P + ":direct_completion", null)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  given()
                      .get("/internal/v1/sessions?user_id=redis-erin")
                      .then()
                      .body("sessions.sid", hasItems(tab.sid())));
      String foreign = "redis-frank:" + tab.sid() + ":req-0";
      String tooMany = "redis-erin:" + tab.sid() + ":req:1";
      String own = "redis-erin:" + tab.sid() + ":req-2";
      tab.socket().emit(foreign, new JSONObject().put("chunk", "not relayed"));
      tab.socket().emit(tooMany, new JSONObject().put("chunk", "not relayed"));
      tab.socket().emit(own, new JSONObject().put("chunk", "data: {}").put("done", false));

      JSONObject published = new JSONObject(relay.await("req-2", WAIT).payload());
      assertThat(published.getString("channel")).isEqualTo(own);
      assertThat(published.getJSONObject("data").getString("chunk")).isEqualTo("data: {}");
      assertThat(relay.messages()).hasSize(1);
    }
  }
}
