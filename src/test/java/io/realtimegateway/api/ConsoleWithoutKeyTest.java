package io.realtimegateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.TightLimitsProfile;
import org.junit.jupiter.api.Test;

/**
 * Without {@code GATEWAY_API_KEY} the console is for loopback clients only, page and data alike.
 * TightLimitsProfile reads client addresses from {@code X-Forwarded-For} and sets no key.
 */
@QuarkusTest
@TestProfile(TightLimitsProfile.class)
class ConsoleWithoutKeyTest {

  @Test
  void fromAnotherAddressPageAndDataAre401() {
    for (String path : new String[] {"/console", "/console/console.js", "/internal/v1/console"}) {
      given()
          .header("X-Forwarded-For", "198.51.100.4")
          .get(path)
          .then()
          .statusCode(401)
          .body("error", notNullValue());
    }
  }

  @Test
  void fromLoopbackBothAreServed() {
    given().get("/console").then().statusCode(200).body(containsString("console.js"));
    given().get("/console/console.js").then().statusCode(200);
    given().get("/internal/v1/console").then().statusCode(200).body("mode", notNullValue());
  }
}
