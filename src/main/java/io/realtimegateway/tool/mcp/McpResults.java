package io.realtimegateway.tool.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import io.realtimegateway.tool.ToolResult;
import java.util.List;

/** Turns the SDK's records into what the rest of the gateway reads: plain MCP JSON. */
final class McpResults {

  private McpResults() {}

  /**
   * The call's result with its content parts as MCP's wire JSON. The SDK's records carry Jackson
   * annotations for exactly that JSON ({@code type} first, absent fields left out), so the parts
   * are written as the server wrote them, whatever kinds later protocol versions add.
   */
  static ToolResult.Mcp toResult(McpSchema.CallToolResult result, ObjectMapper mapper) {
    List<McpSchema.Content> parts = result.content() == null ? List.of() : result.content();
    List<JsonNode> content =
        parts.stream().map(part -> (JsonNode) mapper.valueToTree(part)).toList();
    JsonNode structured =
        result.structuredContent() == null ? null : mapper.valueToTree(result.structuredContent());
    return new ToolResult.Mcp(content, structured, Boolean.TRUE.equals(result.isError()));
  }

  /**
   * Open WebUI's spec of an MCP tool: {@code {"name", "description", "parameters": inputSchema}},
   * under the name the model calls it by.
   */
  static ObjectNode spec(String name, McpSchema.Tool tool, ObjectMapper mapper) {
    ObjectNode spec = mapper.createObjectNode();
    spec.put("name", name);
    spec.put("description", tool.description() == null ? "" : tool.description());
    if (tool.inputSchema() == null) {
      // An OpenAI function needs an object schema even when the tool takes no arguments.
      spec.putObject("parameters").put("type", "object").putObject("properties");
    } else {
      spec.set("parameters", mapper.valueToTree(tool.inputSchema()));
    }
    return spec;
  }
}
