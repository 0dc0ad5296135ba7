package io.realtimegateway.job;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.ShortTimingsProfile;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ShortTimingsProfile.class)
class PresenceCleanupJobsTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void heartbeatRefreshesLastSeenAt() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("jobs-heartbeat", "H"))) {
      GatewayApi.awaitSession("jobs-heartbeat", tab.sid());
      long first = lastSeenAt("jobs-heartbeat");
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                tab.socket().emit("heartbeat", new JSONObject());
                return lastSeenAt("jobs-heartbeat") > first;
              });
    }
  }

  @Test
  void sessionReaperRemovesEntriesNotSeenForTheTimeout() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("jobs-reaped", "R"))) {
      GatewayApi.awaitSession("jobs-reaped", tab.sid());
      // No heartbeat: the 3 s session timeout passes and the 1 s reaper removes the entry.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> GatewayApi.sessionIds("jobs-reaped").isEmpty());
      // Like Open WebUI, a later heartbeat does not bring a reaped entry back.
      tab.socket().emit("heartbeat", new JSONObject());
      await()
          .during(Duration.ofMillis(500))
          .until(() -> GatewayApi.sessionIds("jobs-reaped").isEmpty());
    }
  }

  @Test
  void usageUpdatesThePoolAndIdleEntriesAreCleaned() {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("jobs-usage", "U"))) {
      GatewayApi.awaitSession("jobs-usage", tab.sid());
      tab.socket()
          .emit(
              "usage",
              new JSONObject(Map.of("action", "chat", "model", "jobs-model", "chat_id", "c")));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> GatewayApi.modelIds().contains("jobs-model"));
      // No more usage events: the entry is idle after 1 s and the 1 s cleaner drops it.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !GatewayApi.modelIds().contains("jobs-model"));
    }
  }

  @Test
  void usageOfAnUnauthenticatedSocketIsIgnored() {
    try (BrowserTab tab = BrowserTab.open(gateway, null)) {
      tab.socket()
          .emit(
              "usage",
              new JSONObject(Map.of("action", "chat", "model", "anon-model", "chat_id", "c")));
      tab.socket().emit("heartbeat", new JSONObject());
      await()
          .during(Duration.ofMillis(500))
          .until(() -> !GatewayApi.modelIds().contains("anon-model"));
    }
  }

  @Test
  void disconnectRemovesTheSessionAtOnce() {
    BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("jobs-leaving", "L"));
    GatewayApi.awaitSession("jobs-leaving", tab.sid());
    tab.close();
    // Well before the 3 s session timeout could have reaped it.
    await()
        .atMost(Duration.ofMillis(1500))
        .until(() -> GatewayApi.sessionIds("jobs-leaving").isEmpty());
  }

  private static long lastSeenAt(String userId) {
    return given()
        .queryParam("user_id", userId)
        .get("/internal/v1/sessions")
        .then()
        .extract()
        .jsonPath()
        .getLong("sessions[0].last_seen_at");
  }
}
