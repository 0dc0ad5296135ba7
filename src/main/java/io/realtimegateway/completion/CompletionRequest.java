package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A checked {@code POST /api/chat/completions} body: the fields the gateway reads, and the body
 * itself for the model server.
 *
 * @param body the whole body as the client sent it
 * @param model the model id
 * @param messages the chat messages (a JSON array)
 * @param stream whether a direct request wants server-sent events
 * @param sessionId the tab's socket id, or null
 * @param chatId the chat, or null
 * @param messageId the assistant message the reply fills ({@code id}), or null
 * @param folderId the chat's folder, or null
 * @param streamDeltaChunkSize {@code params.stream_delta_chunk_size}, 0 when not given
 */
public record CompletionRequest(
    ObjectNode body,
    String model,
    JsonNode messages,
    boolean stream,
    String sessionId,
    String chatId,
    String messageId,
    String folderId,
    int streamDeltaChunkSize) {

  public CompletionRequest {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(messages, "messages");
  }

  /**
   * Whether the reply runs as a task and reaches the browser over the socket: Open WebUI does so
   * when the request names both the tab ({@code session_id}) and the chat.
   */
  public boolean isTask() {
    return sessionId != null && chatId != null;
  }
}
