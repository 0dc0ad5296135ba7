package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig.Completion.StreamFormat;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.task.TaskOutcome;
import io.realtimegateway.task.TaskStop;
import io.realtimegateway.task.TaskWork;
import io.realtimegateway.task.Tasks;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import java.util.Set;

/**
 * One chat reply run as a task, with Open WebUI's events to the user's tabs: {@code chat:active
 * true}, the streamed output, the final {@code chat:completion {done}}; on a stop {@code
 * chat:tasks:cancel {output}}; on a failure {@code chat:message:error} then {@code
 * chat:tasks:cancel}; once the chat has no task left, {@code chat:active false}.
 *
 * <p>Its state has one owner, the Vert.x context it runs on: the reply source calls back there, and
 * a stop (from an HTTP request or Redis, on any thread) hops there before it touches anything. So a
 * stop and the last token cannot both end the reply.
 */
final class ChatReply implements TaskWork, ReplySink {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final EventEmitter emitter;
  private final Tasks tasks;
  private final Context context;
  private final ReplySource source;
  private final Set<String> rooms;
  private final String chatId;
  private final String messageId;
  private final String folderId;
  private final ReplyOutput output = new ReplyOutput();
  private final ReplyEvents events;

  private JsonNode usage;
  private boolean ended;
  private Runnable abort = () -> {};
  private UniEmitter<? super TaskOutcome> outcome;

  ChatReply(
      EventEmitter emitter,
      Tasks tasks,
      Context context,
      ReplySource source,
      String userId,
      CompletionRequest request,
      StreamFormat format,
      int chunkSize) {
    this.emitter = emitter;
    this.tasks = tasks;
    this.context = context;
    this.source = source;
    this.rooms = Set.of("user:" + userId);
    this.chatId = request.chatId();
    this.messageId = request.messageId();
    this.folderId = request.folderId();
    this.events = ReplyEvents.of(format, chunkSize, output, this::emit);
  }

  @Override
  public Uni<TaskOutcome> run(String taskId, TaskStop stop) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              outcome = emitter;
              context.runOnContext(ignored -> begin(taskId, stop));
            });
  }

  private void begin(String taskId, TaskStop stop) {
    ObjectNode active = JSON.objectNode().put("active", true);
    active.put("folder_id", folderId);
    emit("chat:active", active);
    // Always through the context: the stop may come from any thread, or be requested already.
    stop.onStop(() -> context.runOnContext(ignored -> stopped()));
    if (!stop.isRequested()) {
      Log.debugf("task %s: reply to chat %s starts", taskId, chatId);
      abort = source.start(this);
    }
  }

  @Override
  public Uni<Void> removed() {
    return tasks
        .taskIdsOf(chatId)
        .invoke(
            left -> {
              if (left.isEmpty()) {
                emit("chat:active", JSON.objectNode().put("active", false));
              }
            })
        .replaceWithVoid();
  }

  @Override
  public void content(String delta) {
    append(ReplyOutput.Kind.MESSAGE, delta);
  }

  @Override
  public void reasoning(String delta) {
    append(ReplyOutput.Kind.REASONING, delta);
  }

  private void append(ReplyOutput.Kind kind, String delta) {
    if (ended) {
      return;
    }
    ReplyOutput.Item item = output.current();
    if (item == null || item.kind() != kind) {
      // What was gathered for the previous item goes out before the next one starts.
      events.flush();
      ReplyOutput.Item previous = item;
      item = output.start(kind);
      events.started(previous, item);
    }
    item.append(delta);
    events.delta(item, delta);
  }

  @Override
  public void usage(JsonNode usage) {
    if (ended) {
      return;
    }
    this.usage = usage;
    events.flush();
    ObjectNode data = JSON.objectNode();
    data.set("usage", usage);
    emit("chat:completion", data);
  }

  @Override
  public void end() {
    if (ended) {
      return;
    }
    ended = true;
    ReplyOutput.Item last = output.current();
    output.finish(ReplyOutput.COMPLETED);
    events.finished(last);
    ObjectNode done = JSON.objectNode().put("done", true);
    done.set("output", output.toJson());
    // The gateway has no chat database to read a title from.
    done.put("title", "");
    if (usage != null) {
      done.set("usage", usage);
    }
    emit("chat:completion", done);
    outcome.complete(TaskOutcome.FINISHED);
  }

  @Override
  public void fail(String message) {
    if (ended) {
      return;
    }
    ended = true;
    events.flush();
    ObjectNode error = JSON.objectNode().put("done", true);
    error.putObject("error").put("content", message);
    emit("chat:message:error", error);
    cancel();
    outcome.complete(TaskOutcome.FAILED);
  }

  /** A stop, on the context. */
  private void stopped() {
    if (ended) {
      return;
    }
    ended = true;
    abort.run();
    cancel();
    outcome.complete(TaskOutcome.STOPPED);
  }

  /** {@code chat:tasks:cancel} with the output so far, its unfinished items marked incomplete. */
  private void cancel() {
    output.finish(ReplyOutput.INCOMPLETE);
    ObjectNode data = JSON.objectNode();
    data.set("output", output.toJson());
    emit("chat:tasks:cancel", data);
  }

  /** Open WebUI's emitter payload {@code {chat_id, message_id, data: {type, data}}}. */
  private void emit(String type, JsonNode data) {
    ObjectNode event = JSON.objectNode().put("chat_id", chatId).put("message_id", messageId);
    event.putObject("data").put("type", type).set("data", data);
    emitter.emit("events", event, rooms, null, Set.of());
  }
}
