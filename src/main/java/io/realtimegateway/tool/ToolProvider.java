package io.realtimegateway.tool;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The server-side tools of one kind (OpenAPI tool servers, MCP servers) that a completion request
 * selects with Open WebUI's {@code tool_ids}: {@code server:<idx>} for the OpenAPI connection at
 * that index of {@code TOOL_SERVER_CONNECTIONS}, {@code server:mcp:<id>} for an MCP connection.
 */
public interface ToolProvider {

  /**
   * The tools of the ids this provider serves; ids it does not serve are ignored (another provider
   * may), ids of servers that cannot be reached give no tools (logged, never an error).
   */
  Uni<List<Tool>> tools(List<String> toolIds);
}
