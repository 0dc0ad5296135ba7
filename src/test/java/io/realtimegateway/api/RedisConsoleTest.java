package io.realtimegateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.support.RedisModeProfile;
import io.realtimegateway.support.RedisModeResource;
import io.realtimegateway.support.RedisServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * In Redis mode the console shows the fleet: sessions and tasks other processes wrote to the shared
 * state, and every replica with its last heartbeat.
 */
@QuarkusTest
@TestProfile(RedisModeProfile.class)
class RedisConsoleTest {

  private static final String P = RedisModeProfile.PREFIX;

  @Inject ReplicaId replica;

  private static RedisServer redis() {
    return RedisModeResource.server();
  }

  @Test
  void listsTheFleetsSessionsTasksAndReplicas() {
    String other = "0123456789abcdef0123456789abcdef";
    redis().command("SADD", P + ":gateway:nodes", other);
    redis()
        .command(
            "SET", P + ":gateway:node:" + other + ":alive", Instant.now().toString(), "EX", "30");
    String gone = "fedcba9876543210fedcba9876543210";
    redis().command("SADD", P + ":gateway:nodes", gone);
    // A session and a task of Open WebUI's Python instances, in its own layout.
    redis()
        .command(
            "HSET",
            P + ":session_pool",
            "python-sid",
            "{\"id\":\"py-user\",\"name\":\"<b>Py</b>\",\"last_seen_at\":"
                + Instant.now().getEpochSecond()
                + "}");
    redis().command("HSET", P + ":tasks", "python-task", "python-chat");
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                JsonPath view = view();
                assertThat(view.getString("mode")).as(view.prettify()).isEqualTo("redis");
                assertThat(view.getList("sessions.sid")).as(view.prettify()).contains("python-sid");
                assertThat(view.getList("sessions.sid")).contains("python-sid");
                assertThat(view.getString("users.find { it.id == 'py-user' }.name"))
                    .isEqualTo("<b>Py</b>");
                assertThat(view.getString("tasks.find { it.task_id == 'python-task' }.chat_id"))
                    .isEqualTo("python-chat");
                assertThat(
                        view.getBoolean(
                            "replicas.find { it.id == '" + replica.value() + "' }.self"))
                    .isTrue();
                assertThat(
                        view.getString(
                            "replicas.find { it.id == '"
                                + replica.value()
                                + "' }.last_heartbeat_at"))
                    .isNotNull();
                assertThat(view.getBoolean("replicas.find { it.id == '" + other + "' }.alive"))
                    .isTrue();
                assertThat(view.getBoolean("replicas.find { it.id == '" + other + "' }.self"))
                    .isFalse();
              });
    } finally {
      redis().command("HDEL", P + ":session_pool", "python-sid");
      redis().command("HDEL", P + ":tasks", "python-task");
      redis().command("DEL", P + ":gateway:node:" + other + ":alive");
      redis().command("SREM", P + ":gateway:nodes", other, gone);
    }
  }

  private static JsonPath view() {
    return given().get("/internal/v1/console").then().statusCode(200).extract().jsonPath();
  }
}
