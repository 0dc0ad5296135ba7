package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients saw of each chat's reply: Open WebUI's {@code events} of types {@code
 * chat:completion} (snapshot format: the whole output so far), {@code response:completion} (delta
 * format, Open WebUI 0.11.4: {@code response.output_text.delta} events whose deltas add up to the
 * text), {@code chat:tasks:cancel} and {@code chat:message:error}. A snapshot shorter than the one
 * before, or not extending it, is out of order; so is a delta event of a reply already done. Either
 * way each event that adds text counts as one delivered chunk.
 */
final class TaskStreams {

  /** One chat's reply as its tab saw it; updated on that client's context only. */
  static final class Chat {
    volatile String text = "";
    volatile long snapshots;
    volatile boolean done;
    volatile String finalText;
    volatile long cancelledAt;
    volatile long firstChunkAt;
    volatile long doneAt;
  }

  final Map<String, Chat> chats = new ConcurrentHashMap<>();
  final LongAdder snapshots = new LongAdder();
  final LongAdder outOfOrder = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder cancels = new LongAdder();
  final LongAdder finals = new LongAdder();

  Chat chat(String chatId) {
    return chats.computeIfAbsent(chatId, id -> new Chat());
  }

  /** One {@code events} payload; called on the receiving client's context. */
  void onEvent(JsonNode payload, long now) {
    String chatId = payload.path("chat_id").asText("");
    JsonNode data = payload.path("data");
    String type = data.path("type").asText("");
    Chat chat = chat(chatId);
    switch (type) {
      case "chat:completion" -> {
        JsonNode body = data.path("data");
        if (body.has("output")) {
          String text = textOf(body.path("output"));
          if (body.path("done").asBoolean(false)) {
            chat.finalText = text;
            chat.doneAt = now;
            chat.done = true;
            finals.increment();
          } else if (!text.startsWith(chat.text)) {
            outOfOrder.increment();
          } else if (text.length() > chat.text.length()) {
            if (chat.snapshots == 0) {
              chat.firstChunkAt = now;
            }
            chat.text = text;
            chat.snapshots++;
            snapshots.increment();
          }
        }
      }
      case "response:completion" -> {
        JsonNode body = data.path("data");
        if (body.path("type").asText("").equals("response.output_text.delta")) {
          String delta = body.path("delta").asText("");
          if (chat.done) {
            outOfOrder.increment();
          } else if (!delta.isEmpty()) {
            if (chat.snapshots == 0) {
              chat.firstChunkAt = now;
            }
            chat.text = chat.text + delta;
            chat.snapshots++;
            snapshots.increment();
          }
        }
      }
      case "chat:tasks:cancel" -> {
        chat.cancelledAt = now;
        cancels.increment();
      }
      case "chat:message:error" -> errors.increment();
      default -> {
        // chat:active and others carry nothing to check
      }
    }
  }

  private static String textOf(JsonNode output) {
    StringBuilder text = new StringBuilder();
    for (JsonNode item : output) {
      if (!"message".equals(item.path("type").asText())) {
        continue;
      }
      for (JsonNode part : item.path("content")) {
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }
}
