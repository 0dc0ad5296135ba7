package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives a reply as its source produces it, always on the context the source was started on. The
 * source calls {@link #end} or {@link #fail} once, and nothing after it.
 */
interface ReplySink {

  /** A piece of the answer. */
  void content(String delta);

  /** A piece of the model's reasoning ({@code reasoning_content} or {@code reasoning}). */
  void reasoning(String delta);

  /** Token usage as the model server reported it. */
  void usage(JsonNode usage);

  /**
   * The model asks for these function calls; comes once, right before {@link #end}, in index order.
   */
  default void toolCalls(java.util.List<ToolCallRequest> calls) {}

  /** The reply is complete. */
  void end();

  /**
   * The reply broke: the model server answered an error, could not be reached, went silent or sent
   * what cannot be read.
   *
   * @param message what the user is shown
   */
  void fail(String message);
}
