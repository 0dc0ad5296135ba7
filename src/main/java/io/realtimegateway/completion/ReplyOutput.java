package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The output of one reply as Open WebUI 0.11 keeps it: a list of Responses-API-like items, a {@code
 * reasoning} item while the model thinks and a {@code message} item while it answers, each {@code
 * in_progress} until the next one starts or the reply ends. Not thread-safe: it belongs to the
 * reply's context.
 */
final class ReplyOutput {

  /** What an item holds. */
  enum Kind {
    MESSAGE("message", "output_text", "msg_"),
    REASONING("reasoning", "reasoning_text", "rs_"),
    FUNCTION_CALL("function_call", null, "fc_"),
    FUNCTION_CALL_OUTPUT("function_call_output", "input_text", "fco_");

    private final String type;
    private final String partType;
    private final String idPrefix;

    Kind(String type, String partType, String idPrefix) {
      this.type = type;
      this.partType = partType;
      this.idPrefix = idPrefix;
    }
  }

  /** One output item; its text grows with the deltas. */
  static final class Item {
    private final Kind kind;
    private final String id;
    private final int index;
    private final StringBuilder text = new StringBuilder();
    private String status = IN_PROGRESS;
    private ToolCallRequest call;

    private Item(Kind kind, int index) {
      this.kind = kind;
      this.index = index;
      this.id = kind.idPrefix + UUID.randomUUID().toString().replace("-", "");
    }

    Kind kind() {
      return kind;
    }

    String id() {
      return id;
    }

    /** Its position in the output ({@code output_index}). */
    int index() {
      return index;
    }

    /** Appends a delta to its text. */
    void append(String delta) {
      text.append(delta);
    }

    boolean inProgress() {
      return IN_PROGRESS.equals(status);
    }

    /** Ends this item with {@code status} ({@code completed}, {@code failed}, ...). */
    void complete(String status) {
      this.status = status;
    }

    /** The item as the browser receives it. */
    ObjectNode toJson() {
      ObjectNode item = JsonNodeFactory.instance.objectNode();
      item.put("type", kind.type).put("id", id);
      if (kind == Kind.FUNCTION_CALL) {
        item.put("call_id", call.id())
            .put("name", call.name())
            .put("arguments", call.arguments())
            .put("status", status);
        return item;
      }
      if (kind == Kind.FUNCTION_CALL_OUTPUT) {
        item.put("call_id", call.id());
        item.putArray("output").addObject().put("type", kind.partType).put("text", text.toString());
        item.put("status", status);
        return item;
      }
      item.put("status", status);
      if (kind == Kind.MESSAGE) {
        item.put("role", "assistant");
      } else {
        item.putArray("summary");
      }
      ArrayNode content = item.putArray("content");
      content.addObject().put("type", kind.partType).put("text", text.toString());
      return item;
    }
  }

  static final String IN_PROGRESS = "in_progress";
  static final String COMPLETED = "completed";
  static final String INCOMPLETE = "incomplete";
  static final String FAILED = "failed";

  private final List<Item> items = new ArrayList<>();

  /**
   * Starts a new item of {@code kind}, completing the one in progress.
   *
   * @return the new item
   */
  Item start(Kind kind) {
    Item current = current();
    if (current != null) {
      current.status = COMPLETED;
    }
    Item item = new Item(kind, items.size());
    items.add(item);
    return item;
  }

  /**
   * Adds a {@code function_call} item, in progress while the tool runs, completing the item in
   * progress before it.
   */
  Item startFunctionCall(ToolCallRequest call) {
    Item item = start(Kind.FUNCTION_CALL);
    item.call = call;
    return item;
  }

  /**
   * Adds the {@code function_call_output} item of a call that has ended: what the model reads of
   * the result, {@code completed} or {@code failed}.
   */
  Item addFunctionCallOutput(ToolCallRequest call, String output, boolean failed) {
    Item item = start(Kind.FUNCTION_CALL_OUTPUT);
    item.call = call;
    item.append(output);
    item.status = failed ? FAILED : COMPLETED;
    return item;
  }

  /**
   * Adds the item a reply that had to stop early ends with: Open WebUI's output has no error item,
   * so it is a {@code message} item whose text is {@code Error: <message>} (as Open WebUI writes an
   * error into a channel message), {@code incomplete} as a Responses-API item cut short by a limit.
   * The browser shows it as the last words of the reply.
   */
  Item addError(String message) {
    Item item = start(Kind.MESSAGE);
    item.append("Error: " + message);
    item.status = INCOMPLETE;
    return item;
  }

  /** The text of the message items from position {@code from} on (one round of the reply). */
  String messageTextFrom(int from) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < items.size(); i++) {
      if (items.get(i).kind == Kind.MESSAGE) {
        text.append(items.get(i).text);
      }
    }
    return text.toString();
  }

  /** How many items there are. */
  int size() {
    return items.size();
  }

  /** The item still in progress, if any. */
  Item current() {
    Item last = items.isEmpty() ? null : items.get(items.size() - 1);
    return last != null && last.inProgress() ? last : null;
  }

  /** Ends every item still in progress with {@code status}. */
  void finish(String status) {
    for (Item item : items) {
      if (item.inProgress()) {
        item.status = status;
      }
    }
  }

  /** The whole output so far. */
  ArrayNode toJson() {
    ArrayNode output = JsonNodeFactory.instance.arrayNode();
    items.forEach(item -> output.add(item.toJson()));
    return output;
  }

  /** The text of every message item, for the synchronous echo answer. */
  String messageText() {
    StringBuilder text = new StringBuilder();
    items.stream()
        .filter(item -> item.kind == Kind.MESSAGE)
        .forEach(item -> text.append(item.text));
    return text.toString();
  }
}
