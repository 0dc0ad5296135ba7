package io.realtimegateway.tool;

import java.util.List;

/**
 * What a tool call amounts to once processed.
 *
 * @param forModel the text the model gets back in the {@code tool} message (and the {@code
 *     function_call_output} item shows), within the result size cap
 * @param events what the user's tabs receive, in order ({@code embeds}, {@code files}, {@code
 *     source})
 * @param failed whether the call failed (its output item is then {@code "failed"})
 */
public record ProcessedToolResult(String forModel, List<ToolEvent> events, boolean failed) {

  public ProcessedToolResult {
    events = List.copyOf(events);
  }

  /**
   * A call that failed before any result: the model reads {@code message}, the tab sees nothing.
   */
  public static ProcessedToolResult failure(String message) {
    return new ProcessedToolResult(message, List.of(), true);
  }
}
