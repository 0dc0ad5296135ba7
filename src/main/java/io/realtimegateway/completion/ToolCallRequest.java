package io.realtimegateway.completion;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A function call the model asked for (OpenAI's {@code tool_calls} entry), as the stream or the
 * whole answer delivered it.
 *
 * @param id the call's id ({@code call_id} in Open WebUI's output items); generated if the model
 *     server sent none
 * @param name the function name
 * @param arguments the arguments as the model wrote them: JSON text, maybe malformed
 */
record ToolCallRequest(String id, String name, String arguments) {

  /** The entry for the assistant message sent back to the model server. */
  ObjectNode toMessageEntry() {
    ObjectNode call = JsonNodeFactory.instance.objectNode().put("id", id).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    return call;
  }
}
