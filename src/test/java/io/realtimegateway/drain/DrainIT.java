package io.realtimegateway.drain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.ReadinessBalancer;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling update seen from the clients: two replicas behind a balancer that, like a Kubernetes
 * Service, sends new connections only to ready replicas; one replica gets SIGTERM and drains.
 */
class DrainIT {

  private static final int CLIENTS = 100;

  private RedisServer redis;
  private GatewayProcess drained;
  private GatewayProcess survivor;
  private ReadinessBalancer balancer;
  private final List<BrowserTab> tabs = new ArrayList<>();

  @BeforeEach
  void startFleet() {
    redis = RedisServer.start();
    Map<String, String> env =
        Map.of(
            "WEBSOCKET_MANAGER", "redis",
            "REDIS_URL", redis.url(),
            "WEBUI_SECRET_KEY", Tokens.SECRET,
            "GATEWAY_CLUSTER_ADVERTISED_ADDRESS", "127.0.0.1",
            "GATEWAY_COMPLETION_ECHO_WORD_INTERVAL", "200ms");
    drained = GatewayProcess.start("drain-a", env);
    survivor = GatewayProcess.start("drain-b", env);
    balancer = ReadinessBalancer.start(List.of(drained.baseUri(), survivor.baseUri()));
    await().atMost(Duration.ofSeconds(5)).until(() -> balancer.isReady(0) && balancer.isReady(1));
  }

  @AfterEach
  void stopFleet() {
    tabs.forEach(BrowserTab::close);
    balancer.close();
    drained.close();
    survivor.close();
    redis.close();
  }

  @Test
  void sigtermMovesEveryClientToTheOtherReplicaWithinFiveSecondsAndLeavesNothingBehind()
      throws Exception {
    // Opened 10 at a time: a browser fleet connects at once, not one tab after the other.
    ExecutorService opening = Executors.newFixedThreadPool(10);
    try {
      List<Future<BrowserTab>> opened = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        // A fifth of them long-poll (Open WebUI's ENABLE_WEBSOCKET_SUPPORT=false clients).
        String[] transports = i % 5 == 0 ? new String[] {"polling"} : new String[] {"websocket"};
        String user = "drain-" + i;
        opened.add(
            opening.submit(
                () ->
                    BrowserTab.openReconnecting(
                        balancer.baseUri(), Tokens.valid(user, user), transports)));
      }
      for (Future<BrowserTab> tab : opened) {
        tabs.add(tab.get(30, TimeUnit.SECONDS));
      }
    } finally {
      opening.shutdown();
    }
    int onDrained = socketsOn(drained);
    assertThat(onDrained).as("the balancer spread the tabs").isBetween(1, CLIENTS - 1);
    Set<String> sidsBefore = tabs.stream().map(BrowserTab::sid).collect(Collectors.toSet());

    // A chat reply streaming on the replica that drains, for a user whose tab is on either.
    BrowserTab chatTab = tabs.get(1);
    String taskId = startLongEchoTask(drained, "drain-1", chatTab.sid());

    long sigterm = System.nanoTime();
    drained.terminate();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(socketsOn(survivor))
                    .as("sockets on the survivor; connected tabs: %d", connectedTabs())
                    .isEqualTo(CLIENTS));
    long movedMs = (System.nanoTime() - sigterm) / 1_000_000;
    assertThat(movedMs).as("every client back, on the survivor").isLessThan(5_000);
    assertThat(tabs).allMatch(tab -> tab.socket().connected());

    assertThat(chatTab.events())
        .as("the stopped task's chat:tasks:cancel reached its user")
        .anyMatch(
            event ->
                event instanceof JSONObject json
                    && json.optJSONObject("data") != null
                    && "chat:tasks:cancel".equals(json.optJSONObject("data").optString("type")));

    for (int i = 0; i < CLIENTS; i++) {
      given()
          .baseUri(survivor.baseUri().toString())
          .contentType(ContentType.JSON)
          .body(Map.of("event", "events", "room", "user:drain-" + i, "data", Map.of("after", i)))
          .post("/internal/v1/emit")
          .then()
          .statusCode(202);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              for (int i = 0; i < CLIENTS; i++) {
                int expected = i;
                assertThat(tabs.get(i).events())
                    .anyMatch(
                        event ->
                            event instanceof JSONObject json
                                && json.optInt("after", -1) == expected);
              }
            });

    assertThat(drained.awaitExit(Duration.ofSeconds(25))).as("drained replica exit code").isZero();
    Set<String> sidsNow = tabs.stream().map(BrowserTab::sid).collect(Collectors.toSet());
    Set<String> listed = new HashSet<>(sessionPool());
    assertThat(listed).as("session pool: the tabs' current sessions only").isEqualTo(sidsNow);
    Set<String> movedAway = new HashSet<>(sidsBefore);
    movedAway.removeAll(sidsNow);
    assertThat(movedAway).hasSize(onDrained);
    assertThat(redis.command("HEXISTS", "open-webui:tasks", taskId)).isEqualTo(0L);
  }

  private long connectedTabs() {
    return tabs.stream().filter(tab -> tab.socket().connected()).count();
  }

  private int socketsOn(GatewayProcess replica) {
    try {
      return JsonPath.from(
              given().baseUri(replica.baseUri().toString()).get("/q/health/ready").asString())
          .getInt("checks.find { it.name == 'socket-io' }.data.sockets");
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private String startLongEchoTask(GatewayProcess replica, String userId, String sessionId) {
    String words = String.join(" ", java.util.Collections.nCopies(300, "word"));
    return given()
        .baseUri(replica.baseUri().toString())
        .header("Authorization", "Bearer " + Tokens.valid(userId, "Drain"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "model",
                "echo",
                "stream",
                true,
                "chat_id",
                "drain-chat",
                "session_id",
                sessionId,
                "id",
                "drain-message",
                "messages",
                List.of(Map.of("role", "user", "content", words))))
        .post("/api/chat/completions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("task_ids", String.class)
        .get(0);
  }

  @SuppressWarnings("unchecked")
  private List<String> sessionPool() {
    Object keys = redis.command("HKEYS", "open-webui:session_pool");
    return keys instanceof List<?> list ? (List<String>) list : List.of();
  }
}
