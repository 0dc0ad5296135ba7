package io.realtimegateway.api;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Outside demo mode (the default) nothing of the demo is served. */
@QuarkusTest
class DemoModeOffTest {

  @Test
  void theTokenEndpointDoesNotExist() {
    given().post("/demo/token").then().statusCode(404);
    given().contentType("application/json").body("{}").post("/demo/token").then().statusCode(404);
  }

  @Test
  void neitherTheRootNorThePageFilesAreServed() {
    given().get("/").then().statusCode(404);
    given().get("/demo/index.html").then().statusCode(404);
    given().get("/demo/demo.js").then().statusCode(404);
  }
}
