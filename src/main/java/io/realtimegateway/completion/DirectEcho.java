package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.UUID;

/**
 * The echo model answering a direct request as an OpenAI-compatible server would: chunks as
 * server-sent events ending with {@code [DONE]}, or one {@code chat.completion} JSON. Runs on the
 * request's context; a client that goes away stops it.
 */
final class DirectEcho implements ReplySink {

  private final ReplySource source;
  private final CompletionRequest request;
  private final HttpServerResponse out;
  private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
  private final StringBuilder text = new StringBuilder();
  private JsonNode usage;
  private UniEmitter<? super Void> done;

  DirectEcho(ReplySource source, CompletionRequest request, HttpServerResponse out) {
    this.source = source;
    this.request = request;
    this.out = out;
  }

  Uni<Void> answer() {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              done = emitter;
              if (request.stream()) {
                out.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream");
              }
              Runnable abort = source.start(this);
              out.closeHandler(
                  ignored -> {
                    abort.run();
                    emitter.complete(null);
                  });
            });
  }

  @Override
  public void content(String delta) {
    if (request.stream()) {
      event(ChatCompletions.completionChunk(id, request.model(), delta, null).toString());
    } else {
      text.append(delta);
    }
  }

  @Override
  public void reasoning(String delta) {
    // The echo does not reason.
  }

  @Override
  public void usage(JsonNode usage) {
    this.usage = usage;
  }

  @Override
  public void end() {
    if (out.closed()) {
      return;
    }
    if (request.stream()) {
      ObjectNode last = ChatCompletions.completionChunk(id, request.model(), null, "stop");
      last.set("usage", usage);
      event(last.toString());
      out.end("data: [DONE]\n\n");
    } else {
      ObjectNode answer =
          JsonNodeFactory.instance
              .objectNode()
              .put("id", id)
              .put("object", "chat.completion")
              .put("created", System.currentTimeMillis() / 1000)
              .put("model", request.model());
      ObjectNode choice = answer.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", text.toString());
      choice.put("finish_reason", "stop");
      answer.set("usage", usage);
      out.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answer.toString());
    }
    done.complete(null);
  }

  @Override
  public void fail(String message) {
    // The echo does not fail; a model server's failures take the proxy's path.
    out.reset();
    done.complete(null);
  }

  private void event(String data) {
    if (!out.closed()) {
      out.write("data: " + data + "\n\n");
    }
  }
}
