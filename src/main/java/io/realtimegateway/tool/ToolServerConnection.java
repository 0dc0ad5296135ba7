package io.realtimegateway.tool;

import java.util.Optional;

/**
 * One entry of Open WebUI's {@code TOOL_SERVER_CONNECTIONS} (a JSON list).
 *
 * @param index its position in the list: OpenAPI connections are selected as {@code server:<idx>}
 * @param type {@code openapi} (the default) or {@code mcp}
 * @param url the server's base URL
 * @param path where the OpenAPI spec is, relative to {@code url} ({@code openapi.json} by default);
 *     unused for MCP
 * @param authType {@code bearer} or {@code none}
 * @param key the bearer key when {@code authType} is {@code bearer}
 * @param id the connection's id ({@code info.id}): MCP connections are selected as {@code
 *     server:mcp:<id>}
 * @param name a display name ({@code info.name}), else the URL
 */
public record ToolServerConnection(
    int index,
    String type,
    String url,
    String path,
    String authType,
    Optional<String> key,
    String id,
    String name) {

  public boolean isMcp() {
    return "mcp".equals(type);
  }
}
