package io.realtimegateway.tool.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.tool.HttpToolResults;
import io.realtimegateway.tool.ToolResult;
import io.realtimegateway.tool.ToolServerConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Talks HTTP to OpenAPI tool servers on Vert.x's client, never blocking: reads specs and calls
 * operations. Every exchange has a time limit and a body size limit, and cancelling its {@code Uni}
 * resets the request, which closes the connection, so a stopped task leaves nothing running on the
 * tool server's side of the gateway.
 */
final class OpenApiClient {

  /** Specs are read whole before parsing; one this large is not a spec worth offering. */
  static final long MAX_SPEC_SIZE = 16L * 1024 * 1024;

  /** What an exchange brought back. */
  record Answer(int status, Map<String, String> headers, byte[] body) {}

  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration callTimeout;
  private final long maxAnswerSize;

  /**
   * @param maxAnswerSize most bytes of a call's response body; past it the call fails
   */
  OpenApiClient(Vertx vertx, ObjectMapper json, Duration callTimeout, long maxAnswerSize) {
    this.json = json;
    this.callTimeout = callTimeout;
    this.maxAnswerSize = maxAnswerSize;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis())));
  }

  void close() {
    http.close();
  }

  /** The spec URL of a connection: its {@code path} when absolute, else {@code url/path}. */
  static String specUrl(ToolServerConnection connection) {
    String path = connection.path();
    if (path.startsWith("http://") || path.startsWith("https://")) {
      return path;
    }
    return connection.url() + "/" + path.replaceAll("^/+", "");
  }

  /**
   * The connection's spec, parsed as JSON; fails with {@link ToolServerException} when it cannot be
   * read, is not a 200, or is not JSON.
   */
  Uni<JsonNode> spec(ToolServerConnection connection) {
    String url = specUrl(connection);
    RequestOptions options = options(connection, HttpMethod.GET, url);
    return exchange(options, null, MAX_SPEC_SIZE, url)
        .map(
            answer -> {
              if (answer.status() != 200) {
                throw new ToolServerException(url + " answered HTTP " + answer.status());
              }
              try {
                return json.readTree(answer.body());
              } catch (Exception e) {
                throw new ToolServerException(url + " is not JSON: " + e.getMessage());
              }
            });
  }

  /**
   * Calls one operation with the model's arguments: path parameters substituted, query and header
   * parameters set, the rest as the JSON body.
   */
  Uni<ToolResult> call(
      ToolServerConnection connection, OpenApiOperation operation, ObjectNode arguments) {
    String path = operation.path();
    StringBuilder query = new StringBuilder();
    Map<String, String> headers = new HashMap<>();
    Set<String> used = new HashSet<>();
    for (OpenApiOperation.Parameter parameter : operation.parameters()) {
      JsonNode value = arguments.get(parameter.name());
      if (value == null || value.isNull()) {
        if (parameter.in().equals("path")) {
          return Uni.createFrom()
              .failure(
                  new ToolServerException("missing path parameter \"" + parameter.name() + "\""));
        }
        continue;
      }
      used.add(parameter.name());
      switch (parameter.in()) {
        case "path" ->
            path =
                path.replace(
                    "{" + parameter.name() + "}", encode(scalar(value)).replace("+", "%20"));
        case "query" -> {
          // Lists repeat the name: OpenAPI's default form style with explode.
          Iterable<JsonNode> values = value.isArray() ? value : List.of(value);
          for (JsonNode element : values) {
            query.append(query.length() == 0 ? '?' : '&');
            query.append(encode(parameter.name())).append('=').append(encode(scalar(element)));
          }
        }
        default -> headers.put(parameter.name(), scalar(value));
      }
    }
    Buffer body = null;
    if (operation.body() == OpenApiOperation.Body.PROPERTIES) {
      ObjectNode object = json.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = arguments.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!used.contains(field.getKey())) {
          object.set(field.getKey(), field.getValue());
        }
      }
      body = Buffer.buffer(object.toString());
    } else if (operation.body() == OpenApiOperation.Body.WHOLE && arguments.has("body")) {
      body = Buffer.buffer(arguments.get("body").toString());
    }
    String url = connection.url() + path + query;
    RequestOptions options = options(connection, HttpMethod.valueOf(operation.method()), url);
    headers.forEach(options::putHeader);
    if (body != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    return exchange(options, body, maxAnswerSize, operation.name())
        .map(
            answer ->
                HttpToolResults.fromResponse(answer.status(), answer.headers(), answer.body()));
  }

  private RequestOptions options(ToolServerConnection connection, HttpMethod method, String url) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
    if (connection.authType().equals("bearer") && connection.key().isPresent()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + connection.key().get());
    }
    return options;
  }

  private static String scalar(JsonNode value) {
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * One request and its whole answer, within {@link #callTimeout} and {@code limit} bytes.
   * Cancelling (a stop, or the timeout) resets the request at whatever stage it is.
   */
  private Uni<Answer> exchange(RequestOptions options, Buffer body, long limit, String what) {
    Duration timeout = callTimeout;
    return Uni.createFrom()
        .<Answer>emitter(
            emitter -> {
              Exchange exchange = new Exchange(emitter, limit, what);
              emitter.onTermination(exchange::abort);
              http.request(options)
                  .onComplete(
                      opened -> {
                        if (opened.failed()) {
                          exchange.fail(unreachable(options, opened.cause()));
                        } else {
                          exchange.start(opened.result(), body);
                        }
                      });
            })
        .ifNoItem()
        .after(timeout)
        .failWith(
            () ->
                new ToolServerException(
                    what + ": the tool server did not answer within " + describe(timeout)));
  }

  private static ToolServerException unreachable(RequestOptions options, Throwable cause) {
    String host = options.getHost() == null ? "the tool server" : options.getHost();
    return new ToolServerException(
        "the tool server cannot be reached ("
            + host
            + ":"
            + options.getPort()
            + "): "
            + cause.getMessage());
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /**
   * The state of one exchange. The request is attached on the client's event loop, while a cancel
   * may come from any thread: the one atomic reference decides who resets it.
   */
  private static final class Exchange {
    private static final Object ABORTED = new Object();
    private static final Object DONE = new Object();

    private final UniEmitter<? super Answer> emitter;
    private final long limit;
    private final String what;
    private final AtomicReference<Object> state = new AtomicReference<>();

    Exchange(UniEmitter<? super Answer> emitter, long limit, String what) {
      this.emitter = emitter;
      this.limit = limit;
      this.what = what;
    }

    void start(HttpClientRequest request, Buffer body) {
      if (!state.compareAndSet(null, request)) {
        request.reset(); // cancelled while the connection was being opened
        return;
      }
      request
          .response()
          .onSuccess(this::read)
          .onFailure(failure -> fail(new ToolServerException(what + ": " + failure.getMessage())));
      if (body == null) {
        request.end();
      } else {
        request.end(body);
      }
    }

    private void read(HttpClientResponse response) {
      Buffer received = Buffer.buffer();
      response.handler(
          chunk -> {
            if (received.length() + (long) chunk.length() > limit) {
              fail(
                  new ToolServerException(
                      what + ": the answer is larger than the limit of " + limit + " bytes"));
              return;
            }
            received.appendBuffer(chunk);
          });
      response.exceptionHandler(
          failure -> fail(new ToolServerException(what + ": the answer broke off: " + failure)));
      response.endHandler(
          ended -> {
            if (state.getAndSet(DONE) instanceof HttpClientRequest) {
              emitter.complete(
                  new Answer(
                      response.statusCode(), headers(response.headers()), received.getBytes()));
            }
          });
    }

    void fail(ToolServerException failure) {
      // First: the reset in abort() makes the response report a reset of its own, which must not
      // be what the caller reads.
      emitter.fail(failure);
      abort();
    }

    /** Resets the request unless the exchange already ended; later calls do nothing. */
    void abort() {
      if (state.getAndSet(ABORTED) instanceof HttpClientRequest request) {
        request.reset();
      }
    }

    private static Map<String, String> headers(MultiMap headers) {
      Map<String, String> map = new HashMap<>();
      for (String name : headers.names()) {
        map.put(name, String.join(", ", headers.getAll(name)));
      }
      return map;
    }
  }
}
