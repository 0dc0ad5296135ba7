package io.realtimegateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.DemoConsoleProfile;
import io.realtimegateway.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The console's data ({@code GET /internal/v1/console}) and Stop ({@code POST
 * /internal/v1/tasks/{id}/stop}) behind the API key, and what they list.
 */
@QuarkusTest
@TestProfile(DemoConsoleProfile.class)
class ConsoleApiTest {

  private static final String ELSEWHERE = "203.0.113.7";

  @TestHTTPResource("/")
  URI gateway;

  private static RequestSpecification withKey() {
    return given().header("Authorization", "Bearer " + DemoConsoleProfile.API_KEY);
  }

  @Test
  void withoutTheKeyTheConsoleDataAndStopAre401FromAnyAddress() {
    for (String address : List.of(ELSEWHERE, "127.0.0.1")) {
      given()
          .header("X-Forwarded-For", address)
          .get("/internal/v1/console")
          .then()
          .statusCode(401)
          .contentType(ContentType.JSON)
          .body("error", notNullValue());
      given()
          .header("X-Forwarded-For", address)
          .post("/internal/v1/tasks/some-task/stop")
          .then()
          .statusCode(401);
    }
    given()
        .header("X-Forwarded-For", ELSEWHERE)
        .header("Authorization", "Bearer wrong")
        .get("/internal/v1/console")
        .then()
        .statusCode(401);
  }

  @Test
  void withTheKeyTheConsoleAnswersFromAnotherAddress() {
    withKey()
        .header("X-Forwarded-For", ELSEWHERE)
        .get("/internal/v1/console")
        .then()
        .statusCode(200)
        .body("mode", equalTo("memory"))
        .body("replicas.size()", equalTo(1))
        .body("replicas[0].self", equalTo(true));
  }

  @Test
  void withAKeyThePageItselfIsServedItHoldsNoData() {
    given()
        .header("X-Forwarded-For", ELSEWHERE)
        .get("/console")
        .then()
        .statusCode(200)
        .body(containsString("/console/console.js"));
  }

  @Test
  void listsSessionsUsersRoomsAndRunningTasksAndStopsATask() throws Exception {
    String name = "<b>Ann</b> & co";
    String room = "<i>team</i>";
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("console-ann", name))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  view().getList("sessions.sid").contains(tab.sid())
                      && view().getList("users.id").contains("console-ann"));
      withKey()
          .contentType(ContentType.JSON)
          .body(Map.of("user_id", "console-ann"))
          .post("/internal/v1/rooms/{room}/join", room)
          .then()
          .statusCode(200);

      String chatId = "console-chat";
      String taskId =
          given()
              .header("Authorization", "Bearer " + Tokens.valid("console-ann", name))
              .contentType(ContentType.JSON)
              .body(
                  Map.of(
                      "model",
                      "echo",
                      "messages",
                      List.of(Map.of("role", "user", "content", "word ".repeat(200))),
                      "session_id",
                      tab.sid(),
                      "chat_id",
                      chatId,
                      "id",
                      "console-message"))
              .post("/api/chat/completions")
              .then()
              .statusCode(200)
              .extract()
              .path("task_ids[0]");

      JsonPath view = view();
      assertThat(view.getString("users.find { it.id == 'console-ann' }.name")).isEqualTo(name);
      assertThat(view.getInt("users.find { it.id == 'console-ann' }.sessions")).isEqualTo(1);
      // Names are data: the JSON carries them as written, the page shows them as text.
      assertThat(view.getInt("rooms.find { it.room == '" + room + "' }.members")).isEqualTo(1);
      assertThat(view.getInt("rooms.find { it.room == 'user:console-ann' }.members")).isEqualTo(1);
      assertThat(view.getList("rooms.room")).doesNotContain(tab.sid());
      assertThat(view.getString("tasks.find { it.task_id == '" + taskId + "' }.chat_id"))
          .isEqualTo(chatId);
      assertThat(view.getString("tasks.find { it.task_id == '" + taskId + "' }.user_id"))
          .isEqualTo("console-ann");
      assertThat(view.getInt("totals.tasks")).isGreaterThanOrEqualTo(1);

      withKey()
          .contentType(ContentType.JSON)
          .post("/internal/v1/tasks/{id}/stop", taskId)
          .then()
          .statusCode(200)
          .body("status", equalTo(true));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  tab.events().stream()
                      .anyMatch(
                          event ->
                              event instanceof JSONObject json
                                  && "chat:tasks:cancel"
                                      .equals(json.optJSONObject("data").optString("type"))));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !view().getList("tasks.task_id").contains(taskId));
    }
  }

  @Test
  void trafficIsSampledEverySecond() throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("console-traffic", "T"))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                withKey()
                    .contentType(ContentType.JSON)
                    .body(Map.of("event", "events", "data", Map.of(), "to", tab.sid()))
                    .post("/internal/v1/emit");
                List<Integer> deliveries = view().getList("traffic.deliveries", Integer.class);
                return deliveries.stream().anyMatch(count -> count > 0);
              });
      List<Long> seconds = view().getList("traffic.epoch_second", Long.class);
      assertThat(seconds).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void stoppingAnUnknownTaskSaysSo() {
    withKey()
        .contentType(ContentType.JSON)
        .post("/internal/v1/tasks/{id}/stop", "no-such-task")
        .then()
        .statusCode(200)
        .body("status", equalTo(false));
  }

  private static JsonPath view() {
    return withKey().get("/internal/v1/console").then().statusCode(200).extract().jsonPath();
  }
}
