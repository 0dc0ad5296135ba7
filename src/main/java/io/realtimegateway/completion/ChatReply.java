package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig.Completion.StreamFormat;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.task.TaskOutcome;
import io.realtimegateway.task.TaskStop;
import io.realtimegateway.task.TaskWork;
import io.realtimegateway.task.Tasks;
import io.realtimegateway.tool.ProcessedToolResult;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
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

  private final ToolSetup toolSetup;
  private final ArrayNode messages;

  private JsonNode usage;
  private boolean ended;
  private Runnable abort = () -> {};
  private UniEmitter<? super TaskOutcome> outcome;

  /** Function calls the model asked for in the round that is ending. */
  private List<ToolCallRequest> requested = List.of();

  private int round;

  /** Where in the output the current round began: its message text goes back to the model. */
  private int roundStart;

  ChatReply(
      EventEmitter emitter,
      Tasks tasks,
      Context context,
      ReplySource source,
      String userId,
      CompletionRequest request,
      StreamFormat format,
      int chunkSize,
      ToolSetup toolSetup) {
    this.emitter = emitter;
    this.tasks = tasks;
    this.context = context;
    this.source = source;
    this.rooms = Set.of("user:" + userId);
    this.chatId = request.chatId();
    this.messageId = request.messageId();
    this.folderId = request.folderId();
    this.events = ReplyEvents.of(format, chunkSize, output, this::emit);
    this.toolSetup = toolSetup;
    this.messages = toolSetup.messages().deepCopy();
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
  public void toolCalls(List<ToolCallRequest> calls) {
    if (!ended) {
      requested = List.copyOf(calls);
    }
  }

  @Override
  public void end() {
    if (ended) {
      return;
    }
    if (!requested.isEmpty()) {
      List<ToolCallRequest> calls = requested;
      requested = List.of();
      if (++round <= toolSetup.maxRounds()) {
        runTools(calls);
        return;
      }
      // Past the limit the calls are not run: the reply ends, its output saying why.
      events.flush();
      ReplyOutput.Item previous = output.current();
      ReplyOutput.Item error =
          output.addError(
              "the model asked for tools in more than "
                  + toolSetup.maxRounds()
                  + " rounds (GATEWAY_TOOLS_MAX_ROUNDS); the reply ends here.");
      events.itemAddedEnded(previous, error);
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

  /**
   * One round of function calls, one after the other, each a {@code function_call} item, its {@code
   * status} events, the events of its result and a {@code function_call_output} item; then the
   * model is asked again with the results. Past the round limit {@link #end} ends the reply with an
   * error item instead.
   */
  private void runTools(List<ToolCallRequest> calls) {
    events.flush();
    ArrayNode assistantCalls = JSON.arrayNode();
    calls.forEach(call -> assistantCalls.add(call.toMessageEntry()));
    ObjectNode assistant = messages.addObject().put("role", "assistant");
    String said = output.messageTextFrom(roundStart);
    if (said.isEmpty()) {
      assistant.putNull("content");
    } else {
      assistant.put("content", said);
    }
    assistant.set("tool_calls", assistantCalls);
    runNext(calls.iterator());
  }

  /** Runs the next call of the round, or asks the model again once all have run. */
  private void runNext(Iterator<ToolCallRequest> calls) {
    if (ended) {
      return;
    }
    if (!calls.hasNext()) {
      roundStart = output.size();
      ReplySource next = toolSetup.nextRound().apply(messages.deepCopy());
      abort = next.start(this);
      return;
    }
    ToolCallRequest call = calls.next();
    ReplyOutput.Item previous = output.current();
    ReplyOutput.Item item = output.startFunctionCall(call);
    events.itemStarted(previous, item);
    status(call.name(), false, false);
    Cancellable running =
        execute(call)
            .emitOn(command -> context.runOnContext(ignored -> command.run()))
            .subscribe()
            .with(
                result -> {
                  if (ended) {
                    return;
                  }
                  item.complete(ReplyOutput.COMPLETED);
                  events.itemChanged(item, false);
                  for (ToolEvent event : result.events()) {
                    emit(event.type(), event.data());
                  }
                  events.itemAddedEnded(
                      output.addFunctionCallOutput(call, result.forModel(), result.failed()));
                  status(call.name(), true, result.failed());
                  messages
                      .addObject()
                      .put("role", "tool")
                      .put("tool_call_id", call.id())
                      .put("content", result.forModel());
                  runNext(calls);
                });
    // A stop while the tool runs cancels the call as well as the reply.
    abort = running::cancel;
  }

  /** Runs one call; every failure becomes a failed result the model reads, never an exception. */
  private Uni<ProcessedToolResult> execute(ToolCallRequest call) {
    Tool tool = toolSetup.tools().get(call.name());
    if (tool == null) {
      return Uni.createFrom()
          .item(ProcessedToolResult.failure("Error: Tool \"" + call.name() + "\" not found."));
    }
    ObjectNode arguments;
    try {
      arguments = arguments(call, tool, toolSetup.json());
    } catch (IOException | IllegalArgumentException e) {
      return Uni.createFrom()
          .item(
              ProcessedToolResult.failure(
                  "Error: the arguments of "
                      + call.name()
                      + " could not be parsed: the model wrote malformed or incomplete JSON."));
    }
    Log.debugf("chat %s: calling %s (%s)", chatId, call.name(), tool.origin());
    return Uni.createFrom()
        .deferred(() -> tool.call(arguments))
        .map(result -> toolSetup.processor().process(call.name(), arguments, result))
        .onFailure()
        .recoverWithItem(
            failure ->
                ProcessedToolResult.failure(
                    "Error: " + call.name() + " failed: " + describe(failure)));
  }

  /**
   * The call's arguments as an object, keeping only the parameters the tool declares (as Open WebUI
   * does): a model may invent others.
   */
  private static ObjectNode arguments(ToolCallRequest call, Tool tool, ObjectMapper json)
      throws IOException {
    String text = call.arguments().isBlank() ? "{}" : call.arguments();
    JsonNode parsed = json.readTree(text);
    if (parsed == null || !parsed.isObject()) {
      throw new IllegalArgumentException("not an object");
    }
    JsonNode declared = tool.spec().path("parameters").path("properties");
    if (!declared.isObject()) {
      return (ObjectNode) parsed;
    }
    ObjectNode kept = JSON.objectNode();
    parsed
        .fields()
        .forEachRemaining(
            field -> {
              if (declared.has(field.getKey())) {
                kept.set(field.getKey(), field.getValue());
              }
            });
    return kept;
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  /** Open WebUI's {@code status} events around a tool call. */
  private void status(String toolName, boolean done, boolean failed) {
    ObjectNode data = JSON.objectNode().put("action", "tool_call");
    data.put("description", (done ? "Called " : "Calling ") + toolName).put("done", done);
    if (failed) {
      data.put("error", true);
    }
    emit("status", data);
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
