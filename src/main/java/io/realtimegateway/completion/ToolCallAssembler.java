package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Puts together the {@code tool_calls} of a streamed answer: each delta names its call by {@code
 * index}; the first carries the id and the name, later ones pieces of the arguments. Not
 * thread-safe: it belongs to one reply.
 */
final class ToolCallAssembler {

  private static final class Pending {
    private String id;
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();
  }

  private final TreeMap<Integer, Pending> calls = new TreeMap<>();

  /** Adds the {@code tool_calls} of one delta (or of a whole message). */
  void add(JsonNode toolCalls) {
    if (!toolCalls.isArray()) {
      return;
    }
    int position = 0;
    for (JsonNode call : toolCalls) {
      int index = call.path("index").canConvertToInt() ? call.path("index").asInt() : position;
      position++;
      Pending pending = calls.computeIfAbsent(index, ignored -> new Pending());
      if (call.path("id").isTextual() && !call.get("id").asText().isEmpty()) {
        pending.id = call.get("id").asText();
      }
      JsonNode function = call.path("function");
      if (function.path("name").isTextual()) {
        pending.name.append(function.get("name").asText());
      }
      JsonNode arguments = function.path("arguments");
      if (arguments.isTextual()) {
        pending.arguments.append(arguments.asText());
      } else if (arguments.isObject()) {
        // Some servers send the arguments as an object instead of its JSON text.
        pending.arguments.append(arguments.toString());
      }
    }
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  /** The calls in index order. */
  List<ToolCallRequest> calls() {
    List<ToolCallRequest> done = new ArrayList<>(calls.size());
    for (Pending pending : calls.values()) {
      String id =
          pending.id != null ? pending.id : "call_" + UUID.randomUUID().toString().replace("-", "");
      done.add(new ToolCallRequest(id, pending.name.toString(), pending.arguments.toString()));
    }
    return done;
  }
}
