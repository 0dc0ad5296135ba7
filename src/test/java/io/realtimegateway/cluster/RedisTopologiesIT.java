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
