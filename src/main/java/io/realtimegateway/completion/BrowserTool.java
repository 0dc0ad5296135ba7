package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResult;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A function of a direct tool server, which the user's browser tab runs: the call goes to the tab
 * that asked for the reply with the event caller ({@code events} {@code execute:tool}, spec §4.2),
 * on whatever replica it is connected to, and its acknowledgement is the result.
 */
final class BrowserTool implements Tool {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ObjectNode spec;
  private final ObjectNode server;
  private final String sessionId;
  private final String chatId;
  private final String messageId;
  private final EventEmitter emitter;

  /**
   * @param spec the function spec the client sent in the tool server's {@code specs}
   * @param server the tool server as the client sent it, without its specs: the tab finds the
   *     server to call by it
   */
  BrowserTool(
      ObjectNode spec,
      ObjectNode server,
      String sessionId,
      String chatId,
      String messageId,
      EventEmitter emitter) {
    this.spec = spec;
    this.server = server;
    this.sessionId = sessionId;
    this.chatId = chatId;
    this.messageId = messageId;
    this.emitter = emitter;
  }

  @Override
  public String name() {
    return spec.path("name").asText();
  }

  @Override
  public ObjectNode spec() {
    return spec;
  }

  @Override
  public String origin() {
    return server.path("url").asText("the browser");
  }

  /**
   * Waits at most {@code WEBSOCKET_EVENT_CALLER_TIMEOUT}; a tab that disconnects, never answers or
   * answers an error gives a failed result with a clear message, never an exception.
   */
  @Override
  public Uni<ToolResult> call(ObjectNode arguments) {
    ObjectNode call = JSON.objectNode();
    call.put("id", UUID.randomUUID().toString()).put("name", name());
    call.set("params", arguments);
    call.set("server", server);
    call.put("session_id", sessionId);
    ObjectNode event = JSON.objectNode().put("chat_id", chatId).put("message_id", messageId);
    event.putObject("data").put("type", "execute:tool").set("data", call);
    return emitter
        .call(sessionId, "events", event, null)
        .map(BrowserTool::fromAck)
        .onFailure(SessionDisconnectedException.class)
        .recoverWithItem(
            failure -> error("The browser tab that runs this tool disconnected before answering."))
        .onFailure(CallTimeoutException.class)
        .recoverWithItem(failure -> error("The browser tab did not answer the tool call in time."));
  }

  /**
   * The tab's acknowledgement: {@code [responseData, responseHeaders]}, or {@code [{"error": msg},
   * null]}, or {@code {"error": msg}}; any other shape is a failed call.
   */
  static ToolResult fromAck(JsonNode ack) {
    if (ack != null && ack.isObject() && ack.has("error")) {
      return error(text(ack.get("error")));
    }
    if (ack == null || !ack.isArray() || ack.isEmpty() || ack.size() > 2) {
      return error("The browser answered the tool call in an unexpected shape.");
    }
    JsonNode data = ack.get(0);
    JsonNode headers = ack.size() > 1 ? ack.get(1) : null;
    boolean noHeaders = headers == null || headers.isNull();
    if (data.isObject() && data.has("error") && noHeaders) {
      return error(text(data.get("error")));
    }
    if (!noHeaders && !headers.isObject()) {
      return error("The browser answered the tool call in an unexpected shape.");
    }
    Map<String, String> named = new HashMap<>();
    if (!noHeaders) {
      headers
          .fields()
          .forEachRemaining(
              header ->
                  named.put(header.getKey().toLowerCase(Locale.ROOT), text(header.getValue())));
    }
    return new ToolResult.Http(200, named, data);
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  private static ToolResult error(String message) {
    return new ToolResult.Http(502, Map.of(), JSON.textNode(message));
  }
}
