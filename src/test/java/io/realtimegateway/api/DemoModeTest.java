package io.realtimegateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.auth.TokenVerifier;
import io.realtimegateway.auth.VerifiedToken;
import io.realtimegateway.support.DemoConsoleProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Demo mode: the page at {@code /}, and tokens the gateway's own verifier accepts. */
@QuarkusTest
@TestProfile(DemoConsoleProfile.class)
class DemoModeTest {

  @Inject TokenVerifier verifier;

  @Test
  void aDemoTokenIsShortLivedAndVerifiesWithTheGatewaysSecret() {
    JsonPath answer =
        given().post("/demo/token").then().statusCode(200).extract().body().jsonPath();
    String token = answer.getString("token");
    Optional<VerifiedToken> verified = verifier.verify(token);
    assertThat(verified).isPresent();
    assertThat(verified.get().userId()).isEqualTo(answer.getString("user.id")).startsWith("demo-");
    assertThat(answer.getString("user.name")).isEqualTo("Demo user");
    assertThat(answer.getString("user.role")).isEqualTo("user");
    assertThat(answer.getString("socket_path")).isEqualTo("/ws/socket.io");
    long expiresAt = answer.getLong("expires_at");
    assertThat(Instant.ofEpochSecond(expiresAt))
        .isBetween(
            Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plusSeconds(15 * 60 + 5));
    // The token works on the browser's API like any Open WebUI token.
    given()
        .header("Authorization", "Bearer " + token)
        .get("/api/tasks/chat/demo:nothing")
        .then()
        .statusCode(200)
        .body("task_ids.size()", equalTo(0));
  }

  @Test
  void everyTokenIsANewUser() {
    String first = given().post("/demo/token").then().extract().path("user.id");
    String second = given().post("/demo/token").then().extract().path("user.id");
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aDemoUserMayChooseANameThatIsKeptAsWritten() {
    String name = "<img src=x onerror=alert(1)>";
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", name))
        .post("/demo/token")
        .then()
        .statusCode(200)
        .body("user.name", equalTo(name));
  }

  @ParameterizedTest
  @MethodSource("badTokenRequests")
  void aBadNameOrBodyIsA400NamingTheField(String body, String field) {
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/demo/token")
        .then()
        .statusCode(400)
        .body("field", equalTo(field));
  }

  static Stream<Arguments> badTokenRequests() {
    return Stream.of(
        Arguments.of("{\"name\": \"" + "x".repeat(DemoRoutes.MAX_NAME_LENGTH + 1) + "\"}", "name"),
        Arguments.of("{\"name\": 42}", "name"),
        Arguments.of("{not json", "body"));
  }

  @Test
  void theRootServesTheDemoPageWithTheBundledClient() {
    given()
        .get("/")
        .then()
        .statusCode(200)
        .contentType(startsWith("text/html"))
        .body(containsString("/demo/vendor/socket.io-client/socket.io.min.js"))
        .body(containsString("/demo/demo.js"));
    String bundle =
        given()
            .get("/demo/vendor/socket.io-client/socket.io.min.js")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(bundle).contains("Socket.IO v4.8.3");
  }
}
