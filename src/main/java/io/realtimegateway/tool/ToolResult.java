package io.realtimegateway.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What a tool answered, before {@link ToolResultProcessor} turns it into events and model text. */
public sealed interface ToolResult {

  /**
   * An HTTP answer of an OpenAPI tool server, or what a browser tab's ack says about one (a direct
   * tool server answers {@code [responseData, responseHeaders]}).
   *
   * @param status the HTTP status (200 for a tab's answer without one)
   * @param headers response headers, names in lower case
   * @param body the body: JSON when it parsed as JSON, else a text node
   */
  record Http(int status, Map<String, String> headers, JsonNode body) implements ToolResult {

    public Http {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * An MCP {@code CallToolResult}.
   *
   * @param content its content parts as MCP's JSON: {@code {"type": "text", "text"}}, {@code
   *     {"type": "image"|"audio", "data", "mimeType"}}, {@code {"type": "resource", "resource":
   *     {"uri", "mimeType"?, "text"|"blob"}}}, {@code {"type": "resource_link", "uri", "name"?}}
   * @param structured its {@code structuredContent}, or null
   * @param isError whether the server flagged the result as an error
   */
  record Mcp(List<JsonNode> content, JsonNode structured, boolean isError) implements ToolResult {

    public Mcp {
      content = List.copyOf(content);
    }
  }
}
