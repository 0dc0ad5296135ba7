package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResultProcessor;
import java.util.Map;
import java.util.function.Function;

/**
 * What a reply needs to run the model's function calls: the tools offered to it by name, the
 * processor of their results, the round limit, the conversation so far and how to ask the model
 * again with the results appended.
 *
 * @param tools the offered tools by function name
 * @param json reads the model's argument text
 * @param messages the request's messages, which each further round extends
 * @param nextRound the model server's reply to the same request with these messages
 */
record ToolSetup(
    Map<String, Tool> tools,
    ToolResultProcessor processor,
    ObjectMapper json,
    int maxRounds,
    ArrayNode messages,
    Function<ArrayNode, ReplySource> nextRound) {

  ToolSetup {
    tools = Map.copyOf(tools);
  }
}
