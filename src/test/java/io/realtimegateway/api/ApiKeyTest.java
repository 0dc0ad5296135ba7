package io.realtimegateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ApiKeyTest.WithApiKey.class)
class ApiKeyTest {

  /** GATEWAY_API_KEY set. */
  public static class WithApiKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.api.api-key", "s3cret-key");
    }
  }

  @Test
  void requestWithoutKeyIsRefusedEvenFromLoopback() {
    given()
        .get("/internal/v1/usage")
        .then()
        .statusCode(401)
        .contentType("application/json")
        .body("error", notNullValue());
  }

  @Test
  void requestWithWrongKeyIsRefused() {
    given()
        .header("Authorization", "Bearer wrong")
        .body("{\"event\":\"e\"}")
        .contentType("application/json")
        .post("/internal/v1/emit")
        .then()
        .statusCode(401);
  }

  @Test
  void requestWithKeyIsServed() {
    given()
        .header("Authorization", "Bearer s3cret-key")
        .get("/internal/v1/usage")
        .then()
        .statusCode(200)
        .body("model_ids.size()", equalTo(0));
  }

  @Test
  void healthStaysOpen() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
  }
}
