package io.realtimegateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible model server on a free loopback port, for tests and benchmarks: {@code GET
 * /v1/models} and {@code POST /v1/chat/completions}, streaming tokens as server-sent events at a
 * set rate. A test scripts how the next replies behave ({@link Reply}): usage, reasoning, an error
 * status, a failure or malformed SSE mid-stream, silence. It records every request and every stream
 * the client closed before its end, with when that was seen.
 *
 * <p>Standalone: {@code java -cp <test classpath> io.realtimegateway.support.FakeModelServer [port]
 * [tokens] [tokensPerSecond]} prints its base URL and serves until killed.
 */
public final class FakeModelServer implements AutoCloseable {

  /**
   * How one reply behaves. Replies stream {@code tokens} one per {@code interval}; the other
   * settings are off by default.
   *
   * @param tokens the content pieces, in order
   * @param reasoning reasoning pieces sent (as {@code reasoning_content}) before the content
   * @param interval time between pieces
   * @param firstTokenDelay extra wait before the first piece
   * @param usage whether a usage chunk follows the last piece
   * @param status an error status answered instead of a stream (0 = none)
   * @param dropAfter closes the connection after this many pieces (-1 = never)
   * @param malformedAfter sends an event that is not JSON after this many pieces (-1 = never)
   * @param silentAfter stops sending, keeping the connection open, after this many pieces (-1 =
   *     never)
   * @param toolCalls function calls streamed after the content (finish reason {@code tool_calls})
   */
  public record Reply(
      List<String> tokens,
      List<String> reasoning,
      Duration interval,
      Duration firstTokenDelay,
      boolean usage,
      int status,
      int dropAfter,
      int malformedAfter,
      int silentAfter,
      List<ToolCall> toolCalls) {

    /** {@code count} tokens {@code "t0 "}, {@code "t1 "}... at {@code perSecond}. */
    public static Reply tokens(int count, int perSecond) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        tokens.add("t" + i + " ");
      }
      return new Reply(
          List.copyOf(tokens),
          List.of(),
          Duration.ofMillis(Math.max(1, 1000 / perSecond)),
          Duration.ZERO,
          false,
          0,
          -1,
          -1,
          -1,
          List.of());
    }

    public Reply withTokens(List<String> tokens) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          dropAfter,
          malformedAfter,
          silentAfter,
          toolCalls);
    }

    public Reply withReasoning(List<String> reasoning) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          dropAfter,
          malformedAfter,
          silentAfter,
          toolCalls);
    }

    public Reply withFirstTokenDelay(Duration delay) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          delay,
          usage,
          status,
          dropAfter,
          malformedAfter,
          silentAfter,
          toolCalls);
    }

    public Reply withUsage() {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          true,
          status,
          dropAfter,
          malformedAfter,
          silentAfter,
          toolCalls);
    }

    public Reply withStatus(int status) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          dropAfter,
          malformedAfter,
          silentAfter,
          toolCalls);
    }

    public Reply droppingAfter(int pieces) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          pieces,
          malformedAfter,
          silentAfter,
          toolCalls);
    }

    public Reply malformedAfter(int pieces) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          dropAfter,
          pieces,
          silentAfter,
          toolCalls);
    }

    public Reply silentAfter(int pieces) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          dropAfter,
          malformedAfter,
          pieces,
          toolCalls);
    }

    /** The same content, then these function calls. */
    public Reply withToolCalls(ToolCall... calls) {
      return new Reply(
          tokens,
          reasoning,
          interval,
          firstTokenDelay,
          usage,
          status,
          dropAfter,
          malformedAfter,
          silentAfter,
          List.of(calls));
    }

    /** The whole content, as the client should end up with it. */
    public String text() {
      return String.join("", tokens);
    }
  }

  /** A function call the fake model asks for; its arguments are streamed in two pieces. */
  public record ToolCall(String id, String name, String arguments) {}

  /** A request the server received. */
  public record Request(String method, String path, String authorization, JsonObject body) {}

  /** A stream the client closed before its end: which request, and when it was seen. */
  public record ClosedStream(Request request, long closedAtMillis) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final List<String> models = new CopyOnWriteArrayList<>(List.of("fake-model"));
  private final Queue<Reply> scripted = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<ClosedStream> closedStreams = new CopyOnWriteArrayList<>();
  private final List<Request> completedStreams = new CopyOnWriteArrayList<>();
  private volatile Reply defaultReply = Reply.tokens(10, 20);

  private FakeModelServer(int port) {
    vertx = Vertx.vertx();
    try {
      server =
          vertx
              .createHttpServer()
              .requestHandler(this::handle)
              .listen(port, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("fake model server did not start", e);
    }
  }

  /** Starts a server on a free loopback port. */
  public static FakeModelServer start() {
    return new FakeModelServer(0);
  }

  /** Starts a server on {@code port} (0 = a free one). */
  public static FakeModelServer start(int port) {
    return new FakeModelServer(port);
  }

  /** {@code OPENAI_API_BASE_URL} for this server, e.g. {@code http://127.0.0.1:4321/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The ids {@code /v1/models} lists; {@code fake-model} by default. */
  public FakeModelServer models(List<String> ids) {
    models.clear();
    models.addAll(ids);
    return this;
  }

  /** How replies behave when none is scripted. */
  public FakeModelServer defaultReply(Reply reply) {
    defaultReply = reply;
    return this;
  }

  /** The next completion request gets {@code reply}; later ones the next scripted or default. */
  public FakeModelServer scriptNext(Reply reply) {
    scripted.add(reply);
    return this;
  }

  /** Forgets scripts and records, keeps models and the default reply. */
  public void reset() {
    scripted.clear();
    requests.clear();
    closedStreams.clear();
    completedStreams.clear();
  }

  /** Every request received, oldest first. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Completion requests received, oldest first. */
  public List<Request> completionRequests() {
    return requests.stream().filter(r -> r.path().endsWith("/chat/completions")).toList();
  }

  /** Streams the client closed before they ended. */
  public List<ClosedStream> closedStreams() {
    return List.copyOf(closedStreams);
  }

  /** Streams sent to their end. */
  public List<Request> completedStreams() {
    return List.copyOf(completedStreams);
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private void handle(HttpServerRequest request) {
    request.bodyHandler(
        buffer -> {
          JsonObject body;
          try {
            body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
          } catch (RuntimeException e) {
            request.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\"}}");
            return;
          }
          Request recorded =
              new Request(
                  request.method().name(),
                  request.path(),
                  request.getHeader("Authorization"),
                  body);
          requests.add(recorded);
          if (request.path().equals("/v1/models")) {
            JsonArray data = new JsonArray();
            models.forEach(
                id ->
                    data.add(
                        new JsonObject()
                            .put("id", id)
                            .put("object", "model")
                            .put("created", 1700000000)
                            .put("owned_by", "fake")));
            json(request.response(), 200, new JsonObject().put("object", "list").put("data", data));
          } else if (request.path().equals("/v1/chat/completions")) {
            Reply scriptedReply = scripted.poll();
            complete(recorded, request, scriptedReply != null ? scriptedReply : defaultReply);
          } else {
            json(request.response(), 404, error("no such path"));
          }
        });
  }

  private void complete(Request request, HttpServerRequest http, Reply reply) {
    HttpServerResponse response = http.response();
    if (reply.status() != 0) {
      json(response, reply.status(), error("scripted failure " + reply.status()));
      return;
    }
    String model = request.body().getString("model", "fake-model");
    if (!request.body().getBoolean("stream", false)) {
      JsonObject answer =
          new JsonObject()
              .put("id", "chatcmpl-fake")
              .put("object", "chat.completion")
              .put("created", System.currentTimeMillis() / 1000)
              .put("model", model)
              .put(
                  "choices",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("index", 0)
                              .put(
                                  "message",
                                  new JsonObject()
                                      .put("role", "assistant")
                                      .put("content", reply.text()))
                              .put("finish_reason", "stop")))
              .put("usage", usage(reply));
      json(response, 200, answer);
      return;
    }
    response.setChunked(true).putHeader("Content-Type", "text/event-stream");
    new Stream(request, http, reply, model).next(reply.firstTokenDelay().toMillis());
  }

  /** One streaming reply, paced by timers on the server's event loop. */
  private final class Stream {
    private final Request request;
    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final Reply reply;
    private final String model;
    private final List<String[]> pieces = new ArrayList<>();
    private int sent;
    private boolean closed;

    Stream(Request request, HttpServerRequest http, Reply reply, String model) {
      this.request = request;
      this.response = http.response();
      this.connection = http.connection();
      this.reply = reply;
      this.model = model;
      reply.reasoning().forEach(piece -> pieces.add(new String[] {"reasoning_content", piece}));
      reply.tokens().forEach(piece -> pieces.add(new String[] {"content", piece}));
      response.closeHandler(
          ignored -> {
            if (!response.ended()) {
              closed = true;
              closedStreams.add(new ClosedStream(request, System.currentTimeMillis()));
            }
          });
    }

    void next(long extraDelay) {
      vertx.setTimer(Math.max(1, extraDelay + reply.interval().toMillis()), ignored -> send());
    }

    private void send() {
      if (closed) {
        return;
      }
      if (sent == reply.dropAfter()) {
        connection.close();
        return;
      }
      if (sent == reply.malformedAfter()) {
        response.write("data: {this is not json\n\n");
      }
      if (sent == reply.silentAfter()) {
        return;
      }
      if (sent < pieces.size()) {
        String[] piece = pieces.get(sent++);
        event(chunk(new JsonObject().put(piece[0], piece[1]), null));
        next(0);
        return;
      }
      for (int i = 0; i < reply.toolCalls().size(); i++) {
        ToolCall call = reply.toolCalls().get(i);
        String arguments = call.arguments();
        int half = arguments.length() / 2;
        toolCallDelta(i, call.id(), call.name(), arguments.substring(0, half));
        toolCallDelta(i, null, null, arguments.substring(half));
      }
      event(chunk(new JsonObject(), reply.toolCalls().isEmpty() ? "stop" : "tool_calls"));
      if (reply.usage()) {
        event(
            new JsonObject()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion.chunk")
                .put("model", model)
                .put("choices", new JsonArray())
                .put("usage", usage(reply)));
      }
      response.write("data: [DONE]\n\n");
      response.end();
      completedStreams.add(request);
    }

    private JsonObject chunk(JsonObject delta, String finish) {
      return new JsonObject()
          .put("id", "chatcmpl-fake")
          .put("object", "chat.completion.chunk")
          .put("created", System.currentTimeMillis() / 1000)
          .put("model", model)
          .put(
              "choices",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("index", 0)
                          .put("delta", delta)
                          .put("finish_reason", finish)));
    }

    private void event(JsonObject data) {
      response.write("data: " + data.encode() + "\n\n");
    }

    /** One piece of a function call, as OpenAI streams them: id and name first, then arguments. */
    private void toolCallDelta(int index, String id, String name, String arguments) {
      JsonObject function = new JsonObject().put("arguments", arguments);
      JsonObject call = new JsonObject().put("index", index).put("function", function);
      if (id != null) {
        call.put("id", id).put("type", "function");
        function.put("name", name);
      }
      event(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
    }
  }

  private static JsonObject usage(Reply reply) {
    int completion = reply.tokens().size() + reply.reasoning().size();
    return new JsonObject()
        .put("prompt_tokens", 5)
        .put("completion_tokens", completion)
        .put("total_tokens", 5 + completion);
  }

  private static JsonObject error(String message) {
    return new JsonObject()
        .put("error", new JsonObject().put("message", message).put("type", "fake_error"));
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /**
   * Runs the server alone: {@code [port] [tokens] [tokensPerSecond]} (defaults: a free port, 10
   * tokens, 20 per second). Prints {@code FAKE_MODEL_SERVER <base url>} once it listens.
   */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    FakeModelServer server = start(port).defaultReply(Reply.tokens(tokens, perSecond).withUsage());
    // Standard output is this process's interface: the parent reads the URL from it.
    System.out.println("FAKE_MODEL_SERVER " + server.baseUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
