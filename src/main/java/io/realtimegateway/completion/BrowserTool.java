package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.emit.SessionNotOwnedException;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.realtimegateway.tool.HttpToolResults;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResult;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * A function of a direct tool server, which the user's browser tab runs: the call goes to the tab
 * that asked for the reply with the event caller ({@code events} {@code execute:tool}, spec §4.2),
 * on whatever replica it is connected to, and its acknowledgement is the result. As Open WebUI's
 * event caller, it calls only a tab of the user who asked for the reply: a {@code session_id} of
 * another user's tab fails the call, and that tab receives nothing.
 */
final class BrowserTool implements Tool {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Open WebUI's event caller's answer when the session is not the user's (spec §5.3). */
  static final String SESSION_NOT_OWNED = "Client session disconnected.";

  private final ObjectNode spec;
  private final ObjectNode server;
  private final String userId;
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
      String userId,
      String sessionId,
      String chatId,
      String messageId,
      EventEmitter emitter) {
    this.spec = spec;
    this.server = server;
    this.userId = userId;
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
   * Waits at most {@code WEBSOCKET_EVENT_CALLER_TIMEOUT}; a tab that is not the user's (or not
   * connected), disconnects, never answers or answers an error gives a failed result with a clear
   * message, never an exception.
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
        .callUserSession(userId, sessionId, "events", event, null)
        .<ToolResult>map(HttpToolResults::fromBrowserAck)
        // Before its superclass: Open WebUI's own words, whether the tab is closed or another's.
        .onFailure(SessionNotOwnedException.class)
        .recoverWithItem(failure -> HttpToolResults.failed(SESSION_NOT_OWNED))
        .onFailure(SessionDisconnectedException.class)
        .recoverWithItem(
            failure ->
                HttpToolResults.failed(
                    "The browser tab that runs this tool disconnected before answering."))
        .onFailure(CallTimeoutException.class)
        .recoverWithItem(
            failure ->
                HttpToolResults.failed("The browser tab did not answer the tool call in time."));
  }
}
