package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.auth.UserProfile;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.task.StopResult;
import io.realtimegateway.task.TaskEntry;
import io.realtimegateway.task.Tasks;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Open WebUI's task endpoints (spec §7.2): same paths, bodies and messages. One deliberate
 * difference: a user may stop their own task by id, where Open WebUI lets only admins.
 */
@ApplicationScoped
public class TaskRoutes {

  private static final String CHAT_PATH = "/api/tasks/chat/(?<chatId>.+?)";

  private final Tasks tasks;
  private final SessionPool sessions;
  private final UserRequests requests;

  public TaskRoutes(Tasks tasks, SessionPool sessions, UserRequests requests) {
    this.tasks = tasks;
    this.sessions = sessions;
    this.requests = requests;
  }

  /** {@code GET /api/tasks}. */
  @RegisterForReflection
  public record TaskList(List<String> tasks) {}

  /** {@code GET /api/tasks/chat/{chat_id}}. */
  @RegisterForReflection
  public record ChatTaskIds(@JsonProperty("task_ids") List<String> taskIds) {}

  void register(@Observes Router router) {
    router.route("/api/tasks*").failureHandler(requests::failed);
    router.post("/api/tasks/stop/:taskId").handler(this::stopTask);
    router.get("/api/tasks").handler(this::listTasks);
    // chat_id:path in Open WebUI: the id may hold slashes; Vert.x decodes it (local%3Aabc).
    router.getWithRegex(CHAT_PATH).handler(this::chatTasks);
    router.postWithRegex(CHAT_PATH + "/stop").handler(this::stopChatTasks);
  }

  private void stopTask(RoutingContext context) {
    String taskId = context.pathParam("taskId");
    Uni<StopResult> result =
        requests
            .user(context)
            .chain(
                user ->
                    tasks
                        .find(taskId)
                        .chain(
                            found -> {
                              boolean allowed =
                                  UserRequests.isAdmin(user)
                                      || found.map(task -> task.isOwnedBy(user.id())).orElse(false);
                              if (!allowed) {
                                return Uni.createFrom().failure(OpenWebUiError.accessProhibited());
                              }
                              return tasks.stop(taskId, found.map(TaskEntry::itemId).orElse(""));
                            }));
    requests.reply(context, result, stop -> stop);
  }

  private void listTasks(RoutingContext context) {
    requests.reply(context, requests.admin(context).chain(admin -> tasks.taskIds()), TaskList::new);
  }

  private void chatTasks(RoutingContext context) {
    String chatId = context.pathParam("chatId");
    Uni<List<String>> ids =
        requests
            .user(context)
            .chain(
                user ->
                    tasks
                        .taskIdsOf(chatId)
                        .chain(
                            found ->
                                mayAccess(user, chatId, found)
                                    .map(allowed -> allowed ? found : List.<String>of())));
    requests.reply(context, ids, ChatTaskIds::new);
  }

  private void stopChatTasks(RoutingContext context) {
    String chatId = context.pathParam("chatId");
    Uni<StopResult> result =
        requests
            .user(context)
            .chain(
                user ->
                    tasks
                        .taskIdsOf(chatId)
                        .chain(
                            found -> {
                              if (found.isEmpty()) {
                                // Says nothing about the chat, so anyone may hear it.
                                return tasks.stopItem(chatId);
                              }
                              return mayAccess(user, chatId, found)
                                  .chain(
                                      allowed ->
                                          allowed
                                              ? tasks.stopItem(chatId)
                                              : Uni.createFrom()
                                                  .failure(OpenWebUiError.notFound()));
                            }));
    requests.reply(context, result, stop -> stop);
  }

  /**
   * Whether the user may see and stop a chat's tasks: admins always; for a {@code local:} or {@code
   * temporary:} chat the user of that socket (as Open WebUI reads the session pool); for any other
   * chat, the user who started one of its tasks on the gateway (the gateway has no chat database; a
   * chat whose tasks Open WebUI runs is the admins' only).
   */
  private Uni<Boolean> mayAccess(UserProfile user, String chatId, List<String> taskIds) {
    if (UserRequests.isAdmin(user)) {
      return Uni.createFrom().item(true);
    }
    for (String prefix : List.of("local:", "temporary:")) {
      if (chatId.startsWith(prefix)) {
        return sessions
            .get(chatId.substring(prefix.length()))
            .map(entry -> entry.map(e -> user.id().equals(e.path("id").asText())).orElse(false));
      }
    }
    return Multi.createFrom()
        .iterable(taskIds)
        .onItem()
        .transformToUniAndConcatenate(tasks::find)
        .filter(found -> found.map(task -> task.isOwnedBy(user.id())).orElse(false))
        .collect()
        .first()
        .map(found -> found != null);
  }
}
