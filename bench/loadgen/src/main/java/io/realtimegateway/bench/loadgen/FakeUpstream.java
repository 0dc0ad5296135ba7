package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An OpenAI-compatible model server for the task scenarios, in the load generator's JVM (so its
 * clock is the clients' clock): {@code GET /v1/models} lists {@code bench-model}, {@code POST
 * /v1/chat/completions} streams {@code tokens} chunks, {@code t0 } to {@code t<n-1> }, at {@code
 * rate} per second as server-sent events and then {@code [DONE]}. Each request names its task with
 * its last user message ({@code bench-chat-<n>}); a stream the gateway closes before its end is
 * recorded with the time it closed.
 */
final class FakeUpstream {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final int tokens;
  private final double rate;
  private final Map<String, Long> closedEarly = new ConcurrentHashMap<>();
  final LongAdder streamsStarted = new LongAdder();
  final LongAdder streamsCompleted = new LongAdder();
  final LongAdder chunksWritten = new LongAdder();
  private HttpServer server;

  FakeUpstream(Vertx vertx, int tokens, double rate) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.rate = rate;
  }

  /** The text a complete stream adds up to. */
  static String expectedText(int tokens) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      text.append('t').append(i).append(' ');
    }
    return text.toString();
  }

  void start(int port) {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(port, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    Log.info("fake model server on 127.0.0.1:%d: %d tokens at %.1f/s", port, tokens, rate);
  }

  /** When the stream of a chat was closed by the gateway before its end (nanoTime), or null. */
  Long closedAt(String chatId) {
    return closedEarly.get(chatId);
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.endsWith("/models")) {
      request
          .response()
          .putHeader("content-type", "application/json")
          .end("{\"object\":\"list\",\"data\":[{\"id\":\"bench-model\",\"object\":\"model\"}]}");
    } else if (path.endsWith("/chat/completions")) {
      request.body().onSuccess(body -> stream(request.response(), chatOf(body.toString())));
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static String chatOf(String body) {
    try {
      JsonNode messages = JSON.readTree(body).path("messages");
      return messages.get(messages.size() - 1).path("content").asText("?");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private void stream(HttpServerResponse response, String chatId) {
    streamsStarted.increment();
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    long interval = Math.max(1, Math.round(1000 / rate));
    int[] next = {0};
    long timer =
        vertx.setPeriodic(
            interval,
            id -> {
              if (response.closed() || response.ended()) {
                vertx.cancelTimer(id);
                return;
              }
              if (next[0] >= tokens) {
                vertx.cancelTimer(id);
                response.end("data: [DONE]\n\n");
                streamsCompleted.increment();
                return;
              }
              int token = next[0]++;
              chunksWritten.increment();
              response.write(
                  "data: {\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench-model\","
                      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t"
                      + token
                      + " \"},\"finish_reason\":null}]}\n\n");
            });
    response.closeHandler(
        v -> {
          vertx.cancelTimer(timer);
          if (!response.ended()) {
            closedEarly.putIfAbsent(chatId, System.nanoTime());
          }
        });
  }

  void close() {
    if (server != null) {
      server
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(5, TimeUnit.SECONDS)
          .join();
    }
  }
}
