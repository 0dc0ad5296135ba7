package io.realtimegateway.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisClusterTopology;
import io.realtimegateway.support.RedisSentinelTopology;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The same fleet behaviour on Redis Sentinel (with a failover) and on a Redis Cluster. */
class RedisTopologiesIT {

  @Test
  void sentinelFailoverDuringTrafficKeepsReplicasTogether() {
    try (RedisSentinelTopology sentinel = RedisSentinelTopology.start()) {
      String sentinels =
          sentinel.sentinelPorts().stream()
              .map(port -> "127.0.0.1:" + port)
              .collect(Collectors.joining(","));
      Map<String, String> env =
          Map.of(
              "WEBSOCKET_MANAGER",
              "redis",
              "WEBSOCKET_REDIS_URL",
              "redis://" + sentinel.masterName(),
              "WEBSOCKET_SENTINEL_HOSTS",
              sentinels,
              "WEBUI_SECRET_KEY",
              Tokens.SECRET);
      try (GatewayProcess first = GatewayProcess.start("sentinel-1", env);
          GatewayProcess second = GatewayProcess.start("sentinel-2", env);
          BrowserTab tab = tab(first, "sentinel-user")) {
        awaitDelivered(second, tab, "before-failover");
        sentinel.killMaster();
        sentinel.awaitFailover(Duration.ofSeconds(30));
        // Both replicas follow the new master: subscriptions and publishes resume.
        awaitDelivered(second, tab, "after-failover");
        // The task-command listener is back too: a stop sent to one replica ends a task on the
        // other.
        awaitStopCrossesReplicas(first, second, tab, "sentinel-user");
      }
    }
  }

  @Test
  void threeMasterClusterCarriesEmitsBetweenReplicas() {
    try (RedisClusterTopology cluster = RedisClusterTopology.start()) {
      Map<String, String> env =
          Map.of(
              "WEBSOCKET_MANAGER",
              "redis",
              "WEBSOCKET_REDIS_URL",
              cluster.seedUrl(),
              "WEBSOCKET_REDIS_CLUSTER",
              "true",
              "WEBUI_SECRET_KEY",
              Tokens.SECRET);
      try (GatewayProcess first = GatewayProcess.start("cluster-1", env);
          GatewayProcess second = GatewayProcess.start("cluster-2", env);
          BrowserTab tab = tab(first, "cluster-user")) {
        awaitDelivered(second, tab, "through-the-cluster");
        given()
            .baseUri(second.baseUri().toString())
            .queryParam("user_id", "cluster-user")
            .get("/internal/v1/sessions")
            .then()
            .statusCode(200)
            .body("sessions.size()", org.hamcrest.Matchers.equalTo(1));
        awaitStopCrossesReplicas(first, second, tab, "cluster-user");
      }
    }
  }

  private static BrowserTab tab(GatewayProcess replica, String userId) {
    BrowserTab tab = BrowserTab.open(replica.baseUri(), Tokens.valid(userId, userId));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                given()
                    .baseUri(replica.baseUri().toString())
                    .queryParam("user_id", userId)
                    .get("/internal/v1/sessions")
                    .then()
                    .extract()
                    .jsonPath()
                    .getList("sessions.sid")
                    .contains(tab.sid()));
    return tab;
  }

  /**
   * Starts an {@code echo} task on {@code runner} for the tab's user and stops it through {@code
   * other}; the tab must see {@code chat:tasks:cancel}.
   */
  private static void awaitStopCrossesReplicas(
      GatewayProcess runner, GatewayProcess other, BrowserTab tab, String userId) {
    String token = Tokens.valid(userId, userId);
    String chatId = "chat-" + java.util.UUID.randomUUID();
    String message =
        java.util.stream.IntStream.range(0, 1000)
            .mapToObj(i -> "w" + i)
            .collect(Collectors.joining(" "));
    String taskId =
        given()
            .baseUri(runner.baseUri().toString())
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "model",
                    "echo",
                    "messages",
                    java.util.List.of(Map.of("role", "user", "content", message)),
                    "session_id",
                    tab.sid(),
                    "chat_id",
                    chatId,
                    "id",
                    "message-1"))
            .post("/api/chat/completions")
            .then()
            .statusCode(200)
            .extract()
            .path("task_ids[0]");
    await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(tab).contains("chat:completion"));
    given()
        .baseUri(other.baseUri().toString())
        .header("Authorization", "Bearer " + token)
        .post("/api/tasks/stop/" + taskId)
        .then()
        .statusCode(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> eventTypes(tab).contains("chat:tasks:cancel"));
  }

  private static java.util.List<String> eventTypes(BrowserTab tab) {
    return tab.events().stream()
        .filter(org.json.JSONObject.class::isInstance)
        .map(event -> ((org.json.JSONObject) event).optJSONObject("data"))
        .map(data -> data == null ? "" : data.optString("type"))
        .toList();
  }

  /** Emits on one replica until the tab on the other has it (publishes may fail mid-failover). */
  private static void awaitDelivered(GatewayProcess via, BrowserTab tab, String marker) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              given()
                  .baseUri(via.baseUri().toString())
                  .contentType(ContentType.JSON)
                  .body(Map.of("event", "events", "to", tab.sid(), "data", marker))
                  .post("/internal/v1/emit");
              return tab.events().contains(marker);
            });
  }
}
