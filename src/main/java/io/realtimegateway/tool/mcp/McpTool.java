package io.realtimegateway.tool.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResult;
import io.smallrye.mutiny.Uni;

/**
 * One tool of one MCP server, as the model sees it.
 *
 * @param name the function name: {@code <connection id>_<MCP tool name>} (Open WebUI's)
 * @param spec the OpenAI function spec under that name
 * @param origin the server's display name
 * @param mcpName the tool's own name on its server, the one {@code tools/call} takes
 * @param server the server that runs it
 */
record McpTool(String name, ObjectNode spec, String origin, String mcpName, McpToolServer server)
    implements Tool {

  /** A copy: the listing is shared by every request, and a request may adapt what it offers. */
  @Override
  public ObjectNode spec() {
    return spec.deepCopy();
  }

  @Override
  public Uni<ToolResult> call(ObjectNode arguments) {
    return server.call(mcpName, arguments).map(ToolResult.class::cast);
  }
}
