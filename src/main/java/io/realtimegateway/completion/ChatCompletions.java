package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.All;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.task.Tasks;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolProvider;
import io.realtimegateway.tool.ToolResultProcessor;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chat completions as Open WebUI serves them (spec §4.4): a request that names the tab and the chat
 * runs as a task whose reply reaches the user's tabs over the socket; any other request is answered
 * directly, as Open WebUI's API answers it. Replies come from the model server or the {@code echo}
 * demo model.
 */
@ApplicationScoped
public class ChatCompletions {

  /** Open WebUI's own request fields; the model server never sees them. */
  private static final Set<String> OPEN_WEBUI_FIELDS =
      Set.of(
          "session_id",
          "chat_id",
          "id",
          "parent_id",
          "parent_message",
          "user_message",
          "folder_id",
          "background_tasks",
          "model_item",
          "message_ids",
          "params",
          "features",
          "variables",
          "tool_ids",
          "tool_servers",
          "filter_ids",
          "skill_ids",
          "terminal_id",
          "files",
          "metadata");

  /** Model settings Open WebUI copies from {@code params} into the request when it lacks them. */
  private static final List<String> MODEL_PARAMS =
      List.of(
          "temperature",
          "top_p",
          "max_tokens",
          "max_completion_tokens",
          "seed",
          "stop",
          "frequency_penalty",
          "presence_penalty",
          "reasoning_effort");

  private final Tasks tasks;
  private final EventEmitter emitter;
  private final ModelServer modelServer;
  private final EchoModel echo;
  private final Vertx vertx;
  private final GatewayConfig.Completion config;
  private final List<ToolProvider> toolProviders;
  private final ToolResultProcessor toolResults;
  private final ObjectMapper json;
  private final int maxToolRounds;

  public ChatCompletions(
      Tasks tasks,
      EventEmitter emitter,
      ModelServer modelServer,
      EchoModel echo,
      Vertx vertx,
      GatewayConfig config,
      @All List<ToolProvider> toolProviders,
      ToolResultProcessor toolResults,
      ObjectMapper json) {
    this.tasks = tasks;
    this.emitter = emitter;
    this.modelServer = modelServer;
    this.echo = echo;
    this.vertx = vertx;
    this.config = config.completion();
    this.toolProviders = toolProviders;
    this.toolResults = toolResults;
    this.json = json;
    this.maxToolRounds = config.tools().maxRounds();
  }

  /** Every model: the model server's list, then {@code echo} when it is offered. */
  public Uni<List<JsonNode>> models() {
    return modelServer
        .models()
        .map(
            listed -> {
              List<JsonNode> all = new ArrayList<>(listed.orElse(List.of()));
              if (echo.isEnabled()) {
                all.add(echo.descriptor());
              }
              return all;
            });
  }

  /**
   * Whether a request for {@code model} can go ahead: {@code echo} when offered, a model the model
   * server lists, or any model when the list cannot be fetched (the request then fails the way the
   * model server fails); never without a model server.
   */
  public Uni<Boolean> knows(String model) {
    if (echo.isEnabled() && EchoModel.ID.equals(model)) {
      return Uni.createFrom().item(true);
    }
    if (!modelServer.isConfigured()) {
      return Uni.createFrom().item(false);
    }
    return modelServer
        .models()
        .map(
            listed ->
                listed
                    .map(list -> list.stream().anyMatch(m -> model.equals(m.path("id").asText())))
                    .orElse(true));
  }

  /**
   * Starts the reply as a task of the chat, with the tools the request offers: the functions of its
   * direct tool servers ({@code tool_servers}, run by the requesting tab) and of the server-side
   * tool servers its {@code tool_ids} select.
   *
   * @return the task id, once the task is listed
   */
  public Uni<String> start(String userId, CompletionRequest request) {
    int chunkSize = Math.max(config.streamDeltaChunkSize(), request.streamDeltaChunkSize());
    return tools(userId, request)
        .chain(
            offered -> {
              ToolSetup setup =
                  new ToolSetup(
                      offered,
                      toolResults,
                      json,
                      maxToolRounds,
                      (ArrayNode) request.messages(),
                      messages ->
                          isEcho(request)
                              ? echo.reply(messages)
                              : modelServer.stream(upstreamBody(request, offered, messages)));
              ChatReply reply =
                  new ChatReply(
                      emitter,
                      tasks,
                      taskContext(),
                      source(request, offered),
                      userId,
                      request,
                      config.stream(),
                      chunkSize,
                      setup);
              return tasks.start(request.chatId(), userId, reply);
            });
  }

  /** The tools a request offers, by function name (a later one of the same name wins). */
  private Uni<Map<String, Tool>> tools(String userId, CompletionRequest request) {
    Map<String, Tool> offered = new LinkedHashMap<>();
    JsonNode servers = request.body().path("tool_servers");
    if (servers.isArray() && request.sessionId() != null) {
      for (JsonNode server : servers) {
        if (!server.isObject()) {
          continue;
        }
        ObjectNode described = ((ObjectNode) server).deepCopy();
        JsonNode specs = described.remove("specs");
        described.remove("openapi");
        if (specs == null || !specs.isArray()) {
          continue;
        }
        for (JsonNode spec : specs) {
          if (spec.isObject() && spec.path("name").isTextual()) {
            BrowserTool tool =
                new BrowserTool(
                    (ObjectNode) spec,
                    described,
                    userId,
                    request.sessionId(),
                    request.chatId(),
                    request.messageId(),
                    emitter);
            offered.put(tool.name(), tool);
          }
        }
      }
    }
    List<String> toolIds = new ArrayList<>();
    request.body().path("tool_ids").forEach(id -> toolIds.add(id.asText()));
    if (toolIds.isEmpty() || toolProviders.isEmpty()) {
      return Uni.createFrom().item(offered);
    }
    List<Uni<List<Tool>>> lookups = new ArrayList<>();
    toolProviders.forEach(provider -> lookups.add(provider.tools(toolIds)));
    return Uni.combine()
        .all()
        .unis(lookups)
        .with(
            found -> {
              Map<String, Tool> all = new LinkedHashMap<>();
              for (Object tools : found) {
                for (Object tool : (List<?>) tools) {
                  all.put(((Tool) tool).name(), (Tool) tool);
                }
              }
              all.putAll(offered);
              return all;
            });
  }

  /**
   * Answers a direct request on {@code out}: the model server's answer as it comes, or the echo as
   * OpenAI's chunks (server-sent events) or one completion (JSON).
   */
  public Uni<Void> answer(CompletionRequest request, HttpServerResponse out) {
    if (isEcho(request)) {
      return new DirectEcho(echo.reply(request.messages()), request, out).answer();
    }
    ObjectNode body = upstreamBody(request, Map.of(), request.messages());
    body.put("stream", request.stream());
    return modelServer.proxy(body, out);
  }

  private ReplySource source(CompletionRequest request, Map<String, Tool> tools) {
    if (isEcho(request)) {
      return echo.reply(request.messages());
    }
    return modelServer.stream(upstreamBody(request, tools, request.messages()));
  }

  private boolean isEcho(CompletionRequest request) {
    return echo.isEnabled() && EchoModel.ID.equals(request.model());
  }

  /**
   * A fresh context on the current event loop (or a new one off it): the task's state lives there,
   * apart from the HTTP request that started it and outliving it.
   */
  private Context taskContext() {
    Context current = Vertx.currentContext();
    if (current == null) {
      current = vertx.getOrCreateContext();
    }
    return VertxContext.createNewDuplicatedContext(current);
  }

  /**
   * The body for the model server: the client's, without Open WebUI's own fields, with {@code
   * messages} and, when there are any, the offered {@code tools}; {@code stream: true} (a direct
   * answer sets its own).
   */
  static ObjectNode upstreamBody(
      CompletionRequest request, Map<String, Tool> tools, JsonNode messages) {
    ObjectNode body = request.body().deepCopy();
    OPEN_WEBUI_FIELDS.forEach(body::remove);
    body.set("messages", messages);
    body.put("stream", true);
    if (!tools.isEmpty()) {
      ArrayNode offered = body.putArray("tools");
      tools
          .values()
          .forEach(
              tool -> offered.addObject().put("type", "function").set("function", tool.spec()));
    }
    JsonNode params = request.body().path("params");
    if (params.isObject()) {
      for (String name : MODEL_PARAMS) {
        if (params.hasNonNull(name) && !body.has(name)) {
          body.set(name, params.get(name));
        }
      }
    }
    return body;
  }

  /** Builds the JSON of OpenAI's chat-completion answers for the echo. */
  static ObjectNode completionChunk(String id, String model, String content, String finish) {
    ObjectNode chunk =
        JsonNodeFactory.instance
            .objectNode()
            .put("id", id)
            .put("object", "chat.completion.chunk")
            .put("created", System.currentTimeMillis() / 1000)
            .put("model", model);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (content != null) {
      delta.put("role", "assistant").put("content", content);
    }
    choice.put("finish_reason", finish);
    return chunk;
  }
}
