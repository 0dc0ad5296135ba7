package io.realtimegateway.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;

/**
 * A function the model may call in a chat task, whatever runs it: a server-side OpenAPI tool
 * server, an MCP server, or the user's browser tab (a direct tool server).
 */
public interface Tool {

  /** The function name the model calls it by; unique among the tools offered to one request. */
  String name();

  /**
   * The OpenAI function spec offered to the model: {@code {"name", "description", "parameters":
   * <JSON schema>}}.
   */
  ObjectNode spec();

  /**
   * Runs one call.
   *
   * @param arguments the model's arguments, parsed (a JSON object)
   * @return the tool's raw answer; fails when the tool cannot be reached, times out or breaks off.
   *     Cancelling the subscription cancels the call (a stop of the task).
   */
  Uni<ToolResult> call(ObjectNode arguments);

  /** Where the tool runs, for status texts and citations, e.g. the tool server's name or URL. */
  String origin();
}
