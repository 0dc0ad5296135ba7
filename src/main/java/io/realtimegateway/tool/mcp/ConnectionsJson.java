package io.realtimegateway.tool.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.realtimegateway.tool.ToolServerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Open WebUI's {@code TOOL_SERVER_CONNECTIONS} JSON list.
 *
 * <p>Stand-in until the shared {@code tool.openapi.ToolServerConnections.parse} lands on this
 * branch: {@link McpToolServers} calls {@link #parse} in one place only, so the merge replaces that
 * call and deletes this class. Bad input never stops start-up: malformed JSON gives no connections,
 * an entry without a URL is skipped, each with a warning.
 */
final class ConnectionsJson {

  private ConnectionsJson() {}

  static List<ToolServerConnection> parse(Optional<String> json, ObjectMapper mapper) {
    if (json.isEmpty() || json.get().isBlank()) {
      return List.of();
    }
    JsonNode list;
    try {
      list = mapper.readTree(json.get());
    } catch (JsonProcessingException e) {
      Log.warnf("TOOL_SERVER_CONNECTIONS is not JSON, no tool server is used: %s", e.getMessage());
      return List.of();
    }
    if (!list.isArray()) {
      Log.warn("TOOL_SERVER_CONNECTIONS is not a JSON list, no tool server is used");
      return List.of();
    }
    List<ToolServerConnection> connections = new ArrayList<>();
    for (int index = 0; index < list.size(); index++) {
      JsonNode entry = list.get(index);
      String url = entry.path("url").asText("");
      if (url.isBlank()) {
        Log.warnf("TOOL_SERVER_CONNECTIONS entry %d has no url, skipped", index);
        continue;
      }
      JsonNode info = entry.path("info");
      String key = entry.path("key").asText("");
      connections.add(
          new ToolServerConnection(
              index,
              entry.path("type").asText("openapi"),
              url,
              entry.path("path").asText("openapi.json"),
              entry.path("auth_type").asText("bearer"),
              key.isEmpty() ? Optional.empty() : Optional.of(key),
              // Open WebUI selects an MCP connection by its info.id; the index stands in for a
              // connection that has none.
              info.path("id").asText(String.valueOf(index)),
              info.path("name").asText(url)));
    }
    return connections;
  }
}
