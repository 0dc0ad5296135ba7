package io.realtimegateway.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs on a gateway of its own: the socket count is global, and a session another test left open (a
 * polling client lives until its ping timeout) would be counted here.
 */
@QuarkusTest
@TestProfile(HealthAndMetricsTest.OwnGateway.class)
class HealthAndMetricsTest {

  public static class OwnGateway implements QuarkusTestProfile {}

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void readyAndLiveWhileServing() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void connectedSocketsShowInReadinessAndMetrics() {
    try (BrowserTab tab = BrowserTab.open(gateway, null)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  given()
                      .get("/q/health/ready")
                      .then()
                      .body("checks.find { it.name == 'socket-io' }.data.sockets", equalTo(1)));
      given().get("/q/metrics").then().statusCode(200).body(containsString("gateway_sockets 1.0"));
    }
  }

  @Test
  void taskMetricsAreExposed() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("gateway_tasks_running "))
        .body(containsString("gateway_tasks_started_total "))
        .body(containsString("gateway_tasks_ended_total{outcome=\"stopped\"}"))
        .body(containsString("gateway_tasks_stop_latency_seconds_bucket"));
  }
}
