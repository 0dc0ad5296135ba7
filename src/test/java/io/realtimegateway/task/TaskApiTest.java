package io.realtimegateway.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.Tokens;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Open WebUI's task endpoints (spec §7.2) with the user's JWT, in memory mode. */
@QuarkusTest
class TaskApiTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Inject Tasks tasks;

  @TestHTTPResource("/")
  URI gateway;

  private static String chat() {
    return "chat-" + UUID.randomUUID();
  }

  private String start(String chatId, String userId, UntilStopped work) {
    return tasks.start(chatId, userId, work).await().atMost(WAIT);
  }

  private static RequestSpecification as(String userId) {
    return given().header("Authorization", "Bearer " + Tokens.valid(userId, userId));
  }

  private static RequestSpecification asAdmin() {
    return given()
        .header("Authorization", "Bearer " + Tokens.withRole("task-admin", "Admin", "admin"));
  }

  @Test
  void theOwnerListsAndStopsTheirChatsTasksAndOthersSeeNothing() {
    String chatId = chat();
    UntilStopped work = new UntilStopped();
    String taskId = start(chatId, "task-alice", work);

    as("task-alice")
        .get("/api/tasks/chat/" + chatId)
        .then()
        .statusCode(200)
        .body("task_ids", contains(taskId));
    as("task-mallory")
        .get("/api/tasks/chat/" + chatId)
        .then()
        .statusCode(200)
        .body("task_ids", empty());
    as("task-mallory")
        .post("/api/tasks/chat/" + chatId + "/stop")
        .then()
        .statusCode(404)
        .body("detail", equalTo("We could not find what you're looking for :/"));
    assertThat(work.outcome).isNotDone();

    as("task-alice")
        .post("/api/tasks/chat/" + chatId + "/stop")
        .then()
        .statusCode(200)
        .body("status", equalTo(true))
        .body("message", equalTo("All tasks for item " + chatId + " stopped."));
    assertThat(work.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                as("task-alice").get("/api/tasks/chat/" + chatId).then().body("task_ids", empty()));
  }

  @Test
  void theOwnerOrAnAdminStopsATaskByIdAndNoOneElse() {
    UntilStopped alices = new UntilStopped();
    String aliceTask = start(chat(), "task-alice", alices);
    UntilStopped bobs = new UntilStopped();
    String bobTask = start(chat(), "task-bob", bobs);

    as("task-mallory")
        .post("/api/tasks/stop/" + aliceTask)
        .then()
        .statusCode(401)
        .body(
            "detail",
            equalTo(
                "You do not have permission to access this resource. Please contact your"
                    + " administrator for assistance."));
    assertThat(alices.outcome).isNotDone();

    as("task-alice")
        .post("/api/tasks/stop/" + aliceTask)
        .then()
        .statusCode(200)
        .body("status", equalTo(true))
        .body("message", equalTo("Task " + aliceTask + " successfully stopped."));
    assertThat(alices.outcome).isCompletedWithValue(TaskOutcome.STOPPED);

    asAdmin()
        .post("/api/tasks/stop/" + bobTask)
        .then()
        .statusCode(200)
        .body("status", equalTo(true));
    assertThat(bobs.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
  }

  @Test
  void unknownIdsGetOpenWebUisAnswersNeverAnError() {
    asAdmin()
        .post("/api/tasks/stop/no-such-task")
        .then()
        .statusCode(200)
        .body("status", equalTo(false))
        .body("message", equalTo("Task with ID no-such-task not found."));
    as("task-alice").post("/api/tasks/stop/no-such-task").then().statusCode(401);
    as("task-alice")
        .get("/api/tasks/chat/no-such-chat")
        .then()
        .statusCode(200)
        .body("task_ids", empty());
    as("task-alice")
        .post("/api/tasks/chat/no-such-chat/stop")
        .then()
        .statusCode(200)
        .body("status", equalTo(true))
        .body("message", equalTo("No tasks found for item no-such-chat."));
    as("task-alice").post("/api/tasks/chat//stop").then().statusCode(404);
    as("task-alice").post("/api/tasks/chat/").then().statusCode(404);
  }

  @Test
  void onlyAdminsListEveryTask() {
    String taskId = start(chat(), "task-alice", new UntilStopped());

    asAdmin().get("/api/tasks").then().statusCode(200).body("tasks", hasItem(taskId));
    as("task-alice").get("/api/tasks").then().statusCode(401);
    tasks.stop(taskId).await().atMost(WAIT);
  }

  @Test
  void requestsWithoutAValidTokenAreRefused() {
    given().get("/api/tasks").then().statusCode(401).body("detail", equalTo("Not authenticated"));
    given()
        .header("Authorization", "Bearer " + Tokens.signedWithOtherSecret("task-alice"))
        .post("/api/tasks/chat/x/stop")
        .then()
        .statusCode(401)
        .body(
            "detail",
            equalTo("Your session has expired or the token is invalid. Please sign in again."));
    given()
        .cookie("token", Tokens.valid("task-alice", "Alice"))
        .get("/api/tasks/chat/x")
        .then()
        .statusCode(200)
        .body("task_ids", empty());
  }

  @Test
  void aLocalChatBelongsToTheUserOfItsSocket() throws Exception {
    try (BrowserTab tab = BrowserTab.open(gateway, Tokens.valid("task-carol", "Carol"))) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  given()
                      .get("/internal/v1/sessions?user_id=task-carol")
                      .then()
                      .body("sessions.sid", hasItem(tab.sid())));
      String chatId = "local:" + tab.sid();
      String taskId = start(chatId, "task-carol", new UntilStopped());

      as("task-carol").get("/api/tasks/chat/" + chatId).then().body("task_ids", contains(taskId));
      as("task-dave").get("/api/tasks/chat/" + chatId).then().body("task_ids", empty());
      as("task-dave").post("/api/tasks/chat/" + chatId + "/stop").then().statusCode(404);
      as("task-carol")
          .post("/api/tasks/chat/" + chatId + "/stop")
          .then()
          .statusCode(200)
          .body("status", equalTo(true));
    }
  }
}
