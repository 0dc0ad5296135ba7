package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.SseEvent;
import io.vertx.ext.web.codec.spi.BodyStream;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAI-compatible model server ({@code OPENAI_API_BASE_URL}): its model list, streamed
 * replies for chat tasks, and plain proxying for the direct API. Non-blocking, on Vert.x's HTTP
 * client: a request is aborted with {@link HttpClientRequest#reset()}, which closes its connection
 * at once, so the model server stops generating. Server-sent events are parsed by
 * vertx-web-client's SSE body codec.
 */
@ApplicationScoped
public class ModelServer {

  /** A fetched model list and when it was fetched. */
  private record Models(List<JsonNode> data, long fetchedAt) {}

  private final Optional<String> baseUrl;
  private final Optional<String> apiKey;
  private final long connectTimeoutMs;
  private final long idleTimeoutMs;
  private final long modelsTtlMs;
  private final ObjectMapper json;
  private final Vertx vertx;
  private final HttpClient http;
  private volatile Models models;

  public ModelServer(GatewayConfig config, ObjectMapper json, Vertx vertx) {
    GatewayConfig.Completion completion = config.completion();
    this.baseUrl = completion.openaiApiBaseUrl().map(URI::toString).map(ModelServer::trimSlashes);
    this.apiKey = completion.openaiApiKey().filter(key -> !key.isBlank());
    this.connectTimeoutMs = completion.connectTimeout().toMillis();
    this.idleTimeoutMs = completion.idleTimeout().toMillis();
    this.modelsTtlMs = completion.modelsCacheTtl().toMillis();
    this.json = json;
    this.vertx = vertx;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(completion.maxConnections()));
  }

  @PreDestroy
  void close() {
    http.close();
  }

  private static String trimSlashes(String url) {
    return url.replaceAll("/+$", "");
  }

  /** Whether a model server is configured. */
  public boolean isConfigured() {
    return baseUrl.isPresent();
  }

  /**
   * The model server's models ({@code GET {base}/models}, its {@code data}); empty when it cannot
   * be asked (not configured, unreachable, an error, a body that is not a model list).
   */
  public Uni<Optional<List<JsonNode>>> models() {
    if (baseUrl.isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    Models cached = models;
    if (cached != null && System.currentTimeMillis() - cached.fetchedAt() < modelsTtlMs) {
      return Uni.createFrom().item(Optional.of(cached.data()));
    }
    RequestOptions options = options(HttpMethod.GET, "/models");
    Future<Optional<List<JsonNode>>> fetched =
        http.request(options)
            .compose(request -> request.send())
            .compose(response -> response.body().map(body -> modelList(response, body)))
            .recover(
                failure -> {
                  Log.warnf("model server %s: model list failed: %s", baseUrl.get(), failure);
                  return Future.succeededFuture(Optional.empty());
                });
    return Uni.createFrom().completionStage(fetched.toCompletionStage());
  }

  private Optional<List<JsonNode>> modelList(HttpClientResponse response, Buffer body) {
    if (response.statusCode() != 200) {
      Log.warnf("model server %s: model list answered %d", baseUrl.get(), response.statusCode());
      return Optional.empty();
    }
    try {
      JsonNode data = json.readTree(body.getBytes()).path("data");
      if (!data.isArray()) {
        Log.warnf("model server %s: model list without data", baseUrl.get());
        return Optional.empty();
      }
      List<JsonNode> list = new ArrayList<>();
      data.forEach(model -> list.add(model));
      models = new Models(List.copyOf(list), System.currentTimeMillis());
      return Optional.of(models.data());
    } catch (IOException e) {
      Log.warnf("model server %s: model list is not JSON", baseUrl.get());
      return Optional.empty();
    }
  }

  /**
   * A streamed reply to {@code body} ({@code POST {base}/chat/completions} with {@code stream:
   * true}); when no model server is configured, a reply that fails at once.
   */
  ReplySource stream(ObjectNode body) {
    return sink -> {
      if (baseUrl.isEmpty()) {
        sink.fail("No model server is configured (OPENAI_API_BASE_URL).");
        return () -> {};
      }
      StreamedReply reply = new StreamedReply(sink);
      reply.start(body);
      return reply::abort;
    };
  }

  /**
   * Sends {@code body} to the model server and writes its answer to {@code out} as it comes: a
   * server-sent event stream or JSON, with the model server's status and content type. A client
   * that goes away aborts the model server's request.
   *
   * @return completes when the answer is written; fails with {@link ModelServerException} when the
   *     model server answered an error or could not be reached before anything was written
   */
  Uni<Void> proxy(ObjectNode body, HttpServerResponse out) {
    if (baseUrl.isEmpty()) {
      return Uni.createFrom()
          .failure(new ModelServerException(502, "No model server is configured."));
    }
    Future<Void> written =
        http.request(options(HttpMethod.POST, "/chat/completions"))
            .recover(failure -> Future.failedFuture(unreachable(failure)))
            .compose(
                request -> {
                  out.closeHandler(ignored -> request.reset());
                  return request
                      .send(Buffer.buffer(body.toString()))
                      .recover(failure -> Future.failedFuture(unreachable(failure)))
                      .compose(response -> forward(response, out));
                });
    return Uni.createFrom().completionStage(written.toCompletionStage()).replaceWithVoid();
  }

  private Future<Void> forward(HttpClientResponse response, HttpServerResponse out) {
    if (response.statusCode() >= 400) {
      return response
          .body()
          .compose(
              error ->
                  Future.failedFuture(
                      new ModelServerException(
                          response.statusCode(), errorMessage(response.statusCode(), error))));
    }
    out.setStatusCode(response.statusCode());
    String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null) {
      out.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      out.setChunked(true);
    }
    // Not ended on failure: a stream that breaks must look broken to the client, not complete.
    return response
        .pipe()
        .endOnFailure(false)
        .to(out)
        .onFailure(
            failure -> {
              Log.debugf("model server stream broke off: %s", failure);
              out.reset();
            });
  }

  private ModelServerException unreachable(Throwable failure) {
    Log.warnf("model server %s unreachable: %s", baseUrl.orElse(""), failure.toString());
    return new ModelServerException(502, "The model server could not be reached.");
  }

  private RequestOptions options(HttpMethod method, String path) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(baseUrl.orElseThrow() + path)
            .setConnectTimeout(connectTimeoutMs)
            .setIdleTimeout(idleTimeoutMs)
            .putHeader(HttpHeaders.ACCEPT, method == HttpMethod.GET ? "application/json" : "*/*");
    if (method == HttpMethod.POST) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    apiKey.ifPresent(key -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key));
    return options;
  }

  /**
   * The message of an error answer: OpenAI's {@code error.message}, else {@code detail}, else
   * {@code error} as text, else the status alone.
   */
  String errorMessage(int status, Buffer body) {
    String message = null;
    try {
      JsonNode error = json.readTree(body.getBytes());
      message = messageOf(error.path("error"));
      if (message == null) {
        message = messageOf(error.path("detail"));
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: the status says enough.
    }
    return "The model server answered " + status + (message == null ? "." : ": " + message);
  }

  /** The text of an error value: a string, or an object's {@code message}. */
  static String messageOf(JsonNode error) {
    if (error.isTextual() && !error.asText().isBlank()) {
      return error.asText();
    }
    if (error.path("message").isTextual()) {
      return error.get("message").asText();
    }
    return null;
  }

  /**
   * One streamed reply: the request, then the SSE events of its answer, each chunk handed to the
   * sink. Lives on the context it was started on, as Vert.x calls every handler there.
   */
  private final class StreamedReply {
    private final ReplySink sink;
    private final ToolCallAssembler toolCalls = new ToolCallAssembler();
    private HttpClientRequest request;
    private boolean over;
    private long lastActivity;
    private long idleTimer = -1;

    StreamedReply(ReplySink sink) {
      this.sink = sink;
    }

    void start(ObjectNode body) {
      http.request(options(HttpMethod.POST, "/chat/completions"))
          .onComplete(
              opened -> {
                if (opened.failed()) {
                  fail("The model server could not be reached: " + describe(opened.cause()));
                  return;
                }
                request = opened.result();
                if (over) {
                  request.reset();
                  return;
                }
                request
                    .send(Buffer.buffer(body.toString()))
                    .onComplete(
                        answered -> {
                          if (answered.failed()) {
                            fail(
                                "The model server could not be reached: "
                                    + describe(answered.cause()));
                          } else {
                            read(answered.result());
                          }
                        });
              });
    }

    private void read(HttpClientResponse response) {
      if (over) {
        return;
      }
      if (response.statusCode() != 200) {
        response
            .body()
            .onComplete(
                error ->
                    fail(
                        error.succeeded()
                            ? errorMessage(response.statusCode(), error.result())
                            : "The model server answered " + response.statusCode() + "."));
        return;
      }
      String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
      if (contentType != null && contentType.startsWith("application/json")) {
        // A server that ignores stream: true answers with the whole completion at once.
        response
            .body()
            .onComplete(
                whole -> {
                  if (whole.failed()) {
                    fail("The model server broke off its answer: " + describe(whole.cause()));
                  } else {
                    wholeAnswer(whole.result());
                  }
                });
        return;
      }
      watchSilence();
      BodyCodec.sseStream(
              events -> {
                events.handler(this::onEvent);
                events.exceptionHandler(
                    failure ->
                        fail(
                            "The model server sent a stream that could not be read: "
                                + describe(failure)));
                events.endHandler(ignored -> end());
              })
          .create(
              created -> {
                BodyStream<Void> stream = created.result();
                // Not ended on failure, so the SSE stream's end means a complete answer.
                response
                    .pipe()
                    .endOnFailure(false)
                    .to(stream)
                    .onFailure(
                        failure ->
                            fail("The model server broke off its answer: " + describe(failure)));
              });
    }

    /**
     * Fails the reply once the stream has been silent for the idle timeout. The client's own idle
     * timeout ends with the response head, so the body needs this one timer, re-armed only when it
     * fires.
     */
    private void watchSilence() {
      lastActivity = System.currentTimeMillis();
      idleTimer = vertx.setTimer(idleTimeoutMs, ignored -> checkSilence());
    }

    private void checkSilence() {
      if (over) {
        return;
      }
      long silent = System.currentTimeMillis() - lastActivity;
      if (silent >= idleTimeoutMs) {
        fail("The model server sent nothing for " + Duration.ofMillis(silent).toSeconds() + " s.");
      } else {
        idleTimer = vertx.setTimer(idleTimeoutMs - silent, ignored -> checkSilence());
      }
    }

    private void onEvent(SseEvent event) {
      if (over) {
        return;
      }
      lastActivity = System.currentTimeMillis();
      String data = event.data();
      // Comments, keep-alives and the empty events of CRLF line ends carry nothing.
      if (data == null || data.isBlank()) {
        return;
      }
      if (data.strip().equals("[DONE]")) {
        end();
        return;
      }
      JsonNode chunk;
      try {
        chunk = json.readTree(data);
      } catch (IOException e) {
        chunk = null;
      }
      if (chunk == null || !chunk.isObject()) {
        fail("The model server sent a stream that could not be read: an event is not JSON.");
        return;
      }
      chunk(chunk);
    }

    private void chunk(JsonNode chunk) {
      JsonNode choices = chunk.path("choices");
      JsonNode error = chunk.path("error");
      if (!error.isMissingNode() && !error.isNull() && choices.isEmpty()) {
        String message = messageOf(error);
        fail("The model server reported an error: " + (message == null ? error : message));
        return;
      }
      JsonNode usage = chunk.path("usage");
      if (usage.isObject() && !usage.isEmpty()) {
        sink.usage(usage);
      }
      JsonNode delta = choices.path(0).path("delta");
      String reasoning = text(delta, "reasoning_content");
      if (reasoning == null) {
        reasoning = text(delta, "reasoning");
      }
      if (reasoning != null) {
        sink.reasoning(reasoning);
      }
      String content = text(delta, "content");
      if (content != null) {
        sink.content(content);
      }
      toolCalls.add(delta.path("tool_calls"));
    }

    private void wholeAnswer(Buffer body) {
      JsonNode answer;
      try {
        answer = json.readTree(body.getBytes());
      } catch (IOException e) {
        fail("The model server answered with a body that is not JSON.");
        return;
      }
      JsonNode message = answer.path("choices").path(0).path("message");
      String reasoning = text(message, "reasoning_content");
      if (reasoning != null) {
        sink.reasoning(reasoning);
      }
      String content = text(message, "content");
      if (content != null) {
        sink.content(content);
      }
      if (answer.path("usage").isObject()) {
        sink.usage(answer.get("usage"));
      }
      toolCalls.add(message.path("tool_calls"));
      end();
    }

    private static String text(JsonNode node, String field) {
      JsonNode value = node.path(field);
      return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private void end() {
      if (!over) {
        over = true;
        vertx.cancelTimer(idleTimer);
        if (!toolCalls.isEmpty()) {
          sink.toolCalls(toolCalls.calls());
        }
        sink.end();
      }
    }

    private void fail(String message) {
      if (over) {
        return;
      }
      over = true;
      vertx.cancelTimer(idleTimer);
      Log.debugf("model server reply failed: %s", message);
      // Nothing more is read; a connection left open would keep the model generating.
      if (request != null) {
        request.reset();
      }
      sink.fail(message);
    }

    void abort() {
      over = true;
      vertx.cancelTimer(idleTimer);
      if (request != null) {
        request.reset();
      }
    }
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }
}
