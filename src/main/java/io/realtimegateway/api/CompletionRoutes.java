package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.completion.ChatCompletions;
import io.realtimegateway.completion.CompletionRequest;
import io.realtimegateway.completion.ModelServerException;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.task.TasksClosedException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Open WebUI's chat-completion and model-list endpoints, for the user's own token: {@code POST
 * /api/chat/completions} (alias {@code /api/v1/chat/completions}) and {@code GET /api/models}
 * (alias {@code /api/v1/models}). Thin: the body is checked here, the work is {@link
 * ChatCompletions}'.
 */
@ApplicationScoped
public class CompletionRoutes {

  static final String MODEL_NOT_FOUND = "Model not found";

  private final ChatCompletions completions;
  private final UserRequests requests;
  private final ObjectReader bodyReader;
  private final long maxBodyBytes;

  public CompletionRoutes(
      ChatCompletions completions, UserRequests requests, ObjectMapper json, GatewayConfig config) {
    this.completions = completions;
    this.requests = requests;
    this.bodyReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.maxBodyBytes = config.api().maxBodySize().asLongValue();
  }

  /** Answer of a completion run as a task, as Open WebUI answers it. */
  @RegisterForReflection
  public record TaskStarted(
      boolean status,
      @JsonProperty("task_ids") List<String> taskIds,
      @JsonProperty("chat_id") String chatId) {}

  /** Answer of the model list. */
  @RegisterForReflection
  public record ModelList(List<JsonNode> data) {}

  void register(@Observes Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    for (String path : List.of("/api/chat/completions", "/api/v1/chat/completions")) {
      router.route(path).failureHandler(requests::failed);
      router.post(path).handler(body).handler(this::complete);
    }
    for (String path : List.of("/api/models", "/api/v1/models")) {
      router.route(path).failureHandler(requests::failed);
      router.get(path).handler(this::models);
    }
  }

  private void models(RoutingContext context) {
    requests.reply(
        context, requests.user(context).chain(user -> completions.models()), ModelList::new);
  }

  private void complete(RoutingContext context) {
    requests
        .user(context)
        .chain(
            user -> {
              CompletionRequest request = request(context);
              return completions
                  .knows(request.model())
                  .chain(
                      known -> {
                        if (!known) {
                          return Uni.createFrom().failure(new OpenWebUiError(404, MODEL_NOT_FOUND));
                        }
                        if (request.isTask()) {
                          return completions
                              .start(user.id(), request)
                              .<Object>map(
                                  taskId ->
                                      new TaskStarted(true, List.of(taskId), request.chatId()));
                        }
                        return completions.answer(request, context.response()).replaceWithNull();
                      });
            })
        .subscribe()
        .with(
            answer -> {
              if (answer != null) {
                requests.write(context, 200, answer);
              }
            },
            failure -> {
              if (context.response().headWritten()) {
                // A direct answer that broke off mid-way: the client already saw it break.
                return;
              }
              if (failure instanceof ModelServerException upstream) {
                context.fail(new OpenWebUiError(upstream.status(), upstream.getMessage()));
              } else if (failure instanceof TasksClosedException closed) {
                context.fail(new OpenWebUiError(503, closed.getMessage()));
              } else {
                context.fail(failure);
              }
            });
  }

  /** The checked body; a 400 naming the field at fault otherwise. */
  private CompletionRequest request(RoutingContext context) {
    JsonNode body = RequestFields.object(RequestFields.parse(bodyReader, context.body().buffer()));
    String model = RequestFields.requiredString(body, "model");
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray()) {
      throw new InvalidRequestException(
          "messages", "messages is required and must be a list of messages");
    }
    for (JsonNode message : messages) {
      if (!message.isObject()) {
        throw new InvalidRequestException("messages", "messages must be a list of objects");
      }
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new InvalidRequestException("stream", "stream must be a boolean");
    }
    String sessionId = nonEmpty(RequestFields.optionalString(body, "session_id"));
    String chatId = nonEmpty(RequestFields.optionalString(body, "chat_id"));
    String messageId = nonEmpty(RequestFields.optionalString(body, "id"));
    String folderId = RequestFields.optionalString(body, "folder_id");
    if (sessionId != null && chatId != null && messageId == null) {
      throw new InvalidRequestException(
          "id", "id (the assistant message id) is required with session_id and chat_id");
    }
    return new CompletionRequest(
        (ObjectNode) body,
        model,
        messages,
        stream != null && stream.asBoolean(),
        sessionId,
        chatId,
        messageId,
        folderId,
        chunkSize(body.get("params")));
  }

  private static int chunkSize(JsonNode params) {
    if (params == null || params.isNull()) {
      return 0;
    }
    if (!params.isObject()) {
      throw new InvalidRequestException("params", "params must be an object");
    }
    JsonNode size = params.get("stream_delta_chunk_size");
    if (size == null || size.isNull()) {
      return 0;
    }
    if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() <= 0) {
      throw new InvalidRequestException(
          "params.stream_delta_chunk_size",
          "params.stream_delta_chunk_size must be a positive integer");
    }
    return (int) Math.min(Integer.MAX_VALUE, size.asLong());
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
