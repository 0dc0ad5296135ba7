package io.realtimegateway.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replicas and Redis going away mid-traffic; every test has its own fleet. */
class ReplicaFailureIT {

  private RedisServer redis;
  private Map<String, String> env;

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
    env =
        Map.of(
            "WEBSOCKET_MANAGER",
            "redis",
            "REDIS_URL",
            redis.url(),
            "WEBUI_SECRET_KEY",
            Tokens.SECRET,
            // Faster than the 10 s default, so the test waits less; the 30 s bound is the same.
            "GATEWAY_CLUSTER_NODE_TTL",
            "4s",
            "GATEWAY_CLUSTER_NODE_HEARTBEAT",
            "1s");
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  @Test
  void killedReplicaSessionsLeaveTheSharedPoolsWithin30Seconds() {
    try (GatewayProcess survivor = GatewayProcess.start("failure-survivor", env);
        GatewayProcess victim = GatewayProcess.start("failure-victim", env)) {
      BrowserTab tab = tab(victim, "failure-killed");
      tab.socket()
          .emit(
              "usage",
              new org.json.JSONObject(
                  Map.of("action", "chat", "model", "victim-model", "chat_id", "c")));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> redis.command("HGET", "open-webui:usage_pool", "victim-model") != null);
      String sid = tab.sid();
      victim.kill();
      tab.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> redis.command("HGET", "open-webui:session_pool", sid) == null);
      assertThat(redis.command("HGET", "open-webui:usage_pool", "victim-model")).isNull();
      assertThat(survivor.isLive()).isTrue();
    }
  }

  @Test
  void callToAReplicaThatDiesFailsFastInsteadOfHanging() throws Exception {
    try (GatewayProcess caller = GatewayProcess.start("failure-caller", env);
        GatewayProcess holder = GatewayProcess.start("failure-holder", env)) {
      BrowserTab tab = tab(holder, "failure-call");
      CompletableFuture<Void> asked = new CompletableFuture<>();
      tab.socket().on("events", args -> asked.complete(null));
      CompletableFuture<Integer> status =
          CompletableFuture.supplyAsync(
              () ->
                  given()
                      .baseUri(caller.baseUri().toString())
                      .contentType(ContentType.JSON)
                      .body(
                          Map.of("session_id", tab.sid(), "data", Map.of(), "timeout_ms", 120_000))
                      .post("/internal/v1/call")
                      .statusCode());
      asked.get(10, TimeUnit.SECONDS);
      holder.kill();
      tab.close();
      // Long before the call's own 120 s: the session leaves the pool with its replica.
      assertThat(status.get(40, TimeUnit.SECONDS)).isEqualTo(404);
    }
  }

  @Test
  void redisRestartMidTrafficResumesDeliveryAndReadiness() {
    try (GatewayProcess first = GatewayProcess.start("restart-1", env);
        GatewayProcess second = GatewayProcess.start("restart-2", env)) {
      BrowserTab tab = tab(first, "restart-user");
      emit(second, "before");
      await().atMost(Duration.ofSeconds(5)).until(() -> tab.events().contains("before"));

      redis.kill();
      await().atMost(Duration.ofSeconds(15)).until(() -> readiness(first) == 503);
      // Local delivery keeps working without Redis.
      emit(first, "local-while-down");
      await().atMost(Duration.ofSeconds(5)).until(() -> tab.events().contains("local-while-down"));

      redis.restart();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> readiness(first) == 200 && readiness(second) == 200);
      // The restarted Redis is empty: each replica writes its own sessions again.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> redis.command("HGET", "open-webui:session_pool", tab.sid()) != null);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                emit(second, "after");
                return tab.events().contains("after");
              });
      tab.close();
    }
  }

  @Test
  void redisUnreachableAtStartIsNoCrashAndReadinessFollowsRedis() {
    redis.kill();
    try (GatewayProcess replica = GatewayProcess.start("late-redis", env)) {
      assertThat(replica.isLive()).isTrue();
      assertThat(readiness(replica)).isEqualTo(503);
      redis.restart();
      await().atMost(Duration.ofSeconds(15)).until(() -> readiness(replica) == 200);
    }
  }

  private BrowserTab tab(GatewayProcess replica, String userId) {
    BrowserTab tab = BrowserTab.open(replica.baseUri(), Tokens.valid(userId, userId));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.command("HGET", "open-webui:session_pool", tab.sid()) != null);
    return tab;
  }

  private static void emit(GatewayProcess replica, String data) {
    given()
        .baseUri(replica.baseUri().toString())
        .contentType(ContentType.JSON)
        .body(Map.of("event", "events", "room", "user:restart-user", "data", data))
        .post("/internal/v1/emit")
        .then()
        .statusCode(202);
  }

  private static int readiness(GatewayProcess replica) {
    return given().baseUri(replica.baseUri().toString()).get("/q/health/ready").statusCode();
  }
}
