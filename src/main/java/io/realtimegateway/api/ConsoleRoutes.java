package io.realtimegateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.console.Console;
import io.realtimegateway.task.StopResult;
import io.realtimegateway.task.TaskEntry;
import io.realtimegateway.task.Tasks;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The live console: its page at {@code /console} ({@code web/console} on the classpath), its data
 * at {@code GET /internal/v1/console} and its Stop button at {@code POST
 * /internal/v1/tasks/{id}/stop}, all behind {@link InternalApiGuard} like the rest of {@code
 * /internal}.
 */
@ApplicationScoped
public class ConsoleRoutes {

  private final Console console;
  private final Tasks tasks;
  private final InternalApiGuard guard;
  private final ObjectMapper json;

  public ConsoleRoutes(Console console, Tasks tasks, InternalApiGuard guard, ObjectMapper json) {
    this.console = console;
    this.tasks = tasks;
    this.guard = guard;
    this.json = json;
  }

  void register(@Observes Router router) {
    router
        .get("/console")
        .handler(guard::authorizePage)
        .handler(context -> context.reroute("/console/index.html"));
    router.route("/console/*").handler(guard::authorizePage);
    router.get("/console/*").handler(PageFiles.handler("console"));
    // The guard again on each route: the order of the routes of /internal/* between classes is
    // not fixed, and a route of this class must never run before it.
    router.get(BackendApiRoutes.BASE + "/console").handler(guard::authorize).handler(this::view);
    router
        .post(BackendApiRoutes.BASE + "/tasks/:taskId/stop")
        .handler(guard::authorize)
        .handler(this::stop);
  }

  private void view(RoutingContext context) {
    context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    reply(context, console.view());
  }

  /** Stops a task wherever it runs, as {@code POST /api/tasks/stop/{id}} does for an admin. */
  private void stop(RoutingContext context) {
    String taskId = context.pathParam("taskId");
    Uni<StopResult> result =
        tasks
            .find(taskId)
            .chain(found -> tasks.stop(taskId, found.map(TaskEntry::itemId).orElse("")));
    reply(context, result);
  }

  private void reply(RoutingContext context, Uni<?> result) {
    result
        .subscribe()
        .with(
            value ->
                JsonResponses.write(
                    json,
                    context,
                    200,
                    value,
                    "{\"error\":\"the answer could not be written as JSON\"}"),
            context::fail);
  }
}
