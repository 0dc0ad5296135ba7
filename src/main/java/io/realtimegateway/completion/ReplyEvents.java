package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.config.GatewayConfig.Completion.StreamFormat;
import java.util.function.BiConsumer;

/**
 * How a reply's progress reaches the browser while it streams, in one of the two formats of {@code
 * GATEWAY_COMPLETION_STREAM}. Deltas are gathered until {@code chunkSize} have built up, as Open
 * WebUI's {@code max(CHAT_RESPONSE_STREAM_DELTA_CHUNK_SIZE, params.stream_delta_chunk_size)}; a new
 * output item sends what was gathered first. Not thread-safe: it belongs to the reply's context.
 */
abstract class ReplyEvents {

  /** Emits an {@code events} payload of a type to the user. */
  protected final BiConsumer<String, JsonNode> emit;

  protected final ReplyOutput output;
  protected final int chunkSize;
  protected int pending;

  private ReplyEvents(BiConsumer<String, JsonNode> emit, ReplyOutput output, int chunkSize) {
    this.emit = emit;
    this.output = output;
    this.chunkSize = Math.max(1, chunkSize);
  }

  static ReplyEvents of(
      StreamFormat format, int chunkSize, ReplyOutput output, BiConsumer<String, JsonNode> emit) {
    return format == StreamFormat.DELTA
        ? new Deltas(emit, output, chunkSize)
        : new Snapshots(emit, output, chunkSize);
  }

  /** A new item started; {@code previous} (completed now) may be null. */
  abstract void started(ReplyOutput.Item previous, ReplyOutput.Item item);

  /** A delta was appended to {@code item}. */
  abstract void delta(ReplyOutput.Item item, String delta);

  /** Sends what was gathered. */
  abstract void flush();

  /**
   * An item that has no text deltas (a function call, its output) was added or changed status: what
   * was gathered goes out first, then the item.
   */
  abstract void itemChanged(ReplyOutput.Item item, boolean added);

  /**
   * An item without text deltas started, completing {@code previous} (may be null): one snapshot,
   * or the previous item's done and the new item's added.
   */
  void itemStarted(ReplyOutput.Item previous, ReplyOutput.Item item) {
    if (previous != null) {
      itemChanged(previous, false);
    }
    itemChanged(item, true);
  }

  /** An item added whole, already ended (a function call's output). */
  void itemAddedEnded(ReplyOutput.Item item) {
    itemChanged(item, true);
  }

  /** An item added whole, already ended, completing {@code previous} (may be null). */
  void itemAddedEnded(ReplyOutput.Item previous, ReplyOutput.Item item) {
    if (previous != null) {
      itemChanged(previous, false);
    }
    itemAddedEnded(item);
  }

  /** The reply completed; {@code last} (completed now) may be null. */
  void finished(ReplyOutput.Item last) {
    flush();
  }

  /**
   * Open WebUI 0.11.0-0.11.3: {@code chat:completion {output}} with the whole output so far, once
   * per {@code chunkSize} deltas.
   */
  private static final class Snapshots extends ReplyEvents {

    Snapshots(BiConsumer<String, JsonNode> emit, ReplyOutput output, int chunkSize) {
      super(emit, output, chunkSize);
    }

    @Override
    void started(ReplyOutput.Item previous, ReplyOutput.Item item) {}

    @Override
    void itemStarted(ReplyOutput.Item previous, ReplyOutput.Item item) {
      itemChanged(item, true);
    }

    @Override
    void itemAddedEnded(ReplyOutput.Item previous, ReplyOutput.Item item) {
      itemChanged(item, true);
    }

    @Override
    void itemChanged(ReplyOutput.Item item, boolean added) {
      pending = 0;
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.set("output", output.toJson());
      emit.accept("chat:completion", data);
    }

    @Override
    void delta(ReplyOutput.Item item, String delta) {
      if (++pending >= chunkSize) {
        flush();
      }
    }

    @Override
    void flush() {
      if (pending > 0) {
        pending = 0;
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("output", output.toJson());
        emit.accept("chat:completion", data);
      }
    }
  }

  /**
   * Open WebUI 0.11.4: {@code response:completion} events with Responses-API deltas: an item added,
   * its text deltas (concatenated per {@code chunkSize}), the item done.
   */
  private static final class Deltas extends ReplyEvents {

    private ReplyOutput.Item item;
    private final StringBuilder gathered = new StringBuilder();

    Deltas(BiConsumer<String, JsonNode> emit, ReplyOutput output, int chunkSize) {
      super(emit, output, chunkSize);
    }

    @Override
    void started(ReplyOutput.Item previous, ReplyOutput.Item item) {
      if (previous != null) {
        itemEvent("response.output_item.done", previous);
      }
      itemEvent("response.output_item.added", item);
    }

    @Override
    void delta(ReplyOutput.Item item, String delta) {
      this.item = item;
      gathered.append(delta);
      if (++pending >= chunkSize) {
        flush();
      }
    }

    @Override
    void flush() {
      if (pending == 0) {
        return;
      }
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put(
              "type",
              item.kind() == ReplyOutput.Kind.MESSAGE
                  ? "response.output_text.delta"
                  : "response.reasoning_text.delta")
          .put("item_id", item.id())
          .put("output_index", item.index())
          .put("content_index", 0)
          .put("delta", gathered.toString());
      pending = 0;
      gathered.setLength(0);
      emit.accept("response:completion", data);
    }

    @Override
    void itemChanged(ReplyOutput.Item item, boolean added) {
      flush();
      itemEvent(added ? "response.output_item.added" : "response.output_item.done", item);
    }

    @Override
    void itemAddedEnded(ReplyOutput.Item item) {
      itemChanged(item, true);
      itemChanged(item, false);
    }

    @Override
    void finished(ReplyOutput.Item last) {
      flush();
      if (last != null) {
        itemEvent("response.output_item.done", last);
      }
    }

    private void itemEvent(String type, ReplyOutput.Item item) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("type", type).put("output_index", item.index()).set("item", item.toJson());
      emit.accept("response:completion", data);
    }
  }
}
