package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in demo model {@code echo}: streams the last user message back word by word, so the
 * gateway can be tried (and tested) without a model server. It goes through the same task, stop and
 * streaming paths as a real model, and reports a usage of one token per word. It can call tools
 * too: a user message {@code /call <function> <JSON arguments>} makes it ask for that call, and
 * after a tool's result it echoes the result.
 */
@ApplicationScoped
public class EchoModel {

  /** The model id. */
  public static final String ID = "echo";

  /** A word with the spaces before it, so that the pieces concatenate back to the text. */
  private static final Pattern WORD = Pattern.compile("\\s*\\S+");

  private static final String NOTHING_TO_ECHO = "(echo: the last user message has no text)";

  /** {@code /call <function> <arguments>}: the demo's way to make the model call a tool. */
  private static final Pattern CALL =
      Pattern.compile("^\\s*/call\\s+(\\S+)\\s*(.*)$", Pattern.DOTALL);

  private final Vertx vertx;
  private final boolean enabled;
  private final long intervalMs;

  public EchoModel(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.enabled = config.completion().echoModel();
    // Vert.x timers need at least 1 ms.
    this.intervalMs = Math.max(1, config.completion().echoWordInterval().toMillis());
  }

  /** Whether the model is offered ({@code gateway.completion.echo-model}). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Its entry in {@code GET /api/models}. */
  public ObjectNode descriptor() {
    ObjectNode model = JsonNodeFactory.instance.objectNode();
    model
        .put("id", ID)
        .put("name", "Echo (demo)")
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", "realtime-gateway");
    model
        .putObject("info")
        .putObject("meta")
        .put("description", "Demo model of the Realtime Gateway: repeats your last message.");
    return model;
  }

  /**
   * The reply to {@code messages}: the text of the last user message, a word at a time; after a
   * tool's result, that result; for {@code /call <function> <arguments>}, that function call.
   */
  ReplySource reply(JsonNode messages) {
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    List<String> words;
    List<ToolCallRequest> calls = List.of();
    if (last != null && "tool".equals(last.path("role").asText())) {
      words = words("The tool answered: " + last.path("content").asText(""));
    } else {
      String text = lastUserText(messages);
      Matcher call = CALL.matcher(text);
      if (call.matches()) {
        String arguments = call.group(2).isBlank() ? "{}" : call.group(2).trim();
        calls =
            List.of(
                new ToolCallRequest(
                    "call_" + UUID.randomUUID().toString().replace("-", ""),
                    call.group(1),
                    arguments));
        words = words("Calling " + call.group(1) + ".");
      } else {
        words = words(text);
      }
    }
    List<ToolCallRequest> toolCalls = calls;
    return sink -> {
      Echo echo = new Echo(words, toolCalls, sink);
      echo.next();
      return echo::abort;
    };
  }

  /** The pieces the echo sends, in order. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher matcher = WORD.matcher(text);
    while (matcher.find()) {
      words.add(matcher.group());
    }
    if (words.isEmpty()) {
      words.add(NOTHING_TO_ECHO);
    }
    return words;
  }

  /**
   * The text of the last user message: its string content, or the text parts of a list content
   * (Open WebUI sends a list when files or images are attached).
   */
  static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if (!"user".equals(message.path("role").asText())) {
        continue;
      }
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        return content.asText();
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
          text.append(text.length() == 0 ? "" : " ").append(part.get("text").asText());
        }
      }
      return text.toString();
    }
    return "";
  }

  /** One running echo; lives on the context it was started on. */
  private final class Echo {
    private final List<String> words;
    private final List<ToolCallRequest> toolCalls;
    private final ReplySink sink;
    private int sent;
    private long timer = -1;
    private boolean aborted;

    Echo(List<String> words, List<ToolCallRequest> toolCalls, ReplySink sink) {
      this.words = words;
      this.toolCalls = toolCalls;
      this.sink = sink;
    }

    /** Sends the next word after the interval; the timer fires on this context. */
    void next() {
      timer = vertx.setTimer(intervalMs, ignored -> send());
    }

    private void send() {
      if (aborted) {
        return;
      }
      sink.content(words.get(sent++));
      if (sent < words.size()) {
        next();
        return;
      }
      ObjectNode usage = JsonNodeFactory.instance.objectNode();
      usage
          .put("prompt_tokens", words.size())
          .put("completion_tokens", words.size())
          .put("total_tokens", 2 * words.size());
      sink.usage(usage);
      if (!toolCalls.isEmpty()) {
        sink.toolCalls(toolCalls);
      }
      sink.end();
    }

    void abort() {
      aborted = true;
      vertx.cancelTimer(timer);
    }
  }
}
