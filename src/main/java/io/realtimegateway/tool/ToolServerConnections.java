package io.realtimegateway.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads Open WebUI's {@code TOOL_SERVER_CONNECTIONS}: a JSON list of {@code {"type"?:
 * "openapi"|"mcp", "url", "path"?, "auth_type"?: "bearer"|"none", "key"?, "config"?: {"enable"?},
 * "info"?: {"id", "name"}}}. Both kinds are kept; each keeps its position in the list as {@link
 * ToolServerConnection#index()}, since {@code server:<idx>} refers to it. Never throws: a malformed
 * entry is skipped with a warning naming its index, malformed JSON gives no servers.
 */
public final class ToolServerConnections {

  // A plain logger: these helpers also run outside CDI beans (and in plain unit tests).
  private static final Logger LOG = Logger.getLogger(ToolServerConnections.class);

  // Plain parsing of a setting: no module or setting of the application's mapper matters.
  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolServerConnections() {}

  /**
   * The connections of {@code json}; empty for null, blank or malformed JSON. Entries with {@code
   * config.enable: false} are left out (Open WebUI does not use them either).
   */
  public static List<ToolServerConnection> parse(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    JsonNode list;
    try {
      list = JSON.readTree(json);
    } catch (Exception e) {
      LOG.warnf("TOOL_SERVER_CONNECTIONS is not JSON, no tool servers: %s", e.getMessage());
      return List.of();
    }
    if (!list.isArray()) {
      LOG.warn("TOOL_SERVER_CONNECTIONS is not a JSON list, no tool servers");
      return List.of();
    }
    List<ToolServerConnection> connections = new ArrayList<>();
    for (int index = 0; index < list.size(); index++) {
      JsonNode entry = list.get(index);
      try {
        entry(index, entry).ifPresent(connections::add);
      } catch (IllegalArgumentException malformed) {
        LOG.warnf("TOOL_SERVER_CONNECTIONS entry %d skipped: %s", index, malformed.getMessage());
      }
    }
    return List.copyOf(connections);
  }

  private static Optional<ToolServerConnection> entry(int index, JsonNode entry) {
    if (!entry.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (entry.path("config").path("enable").isBoolean()
        && !entry.path("config").path("enable").asBoolean()) {
      LOG.infof("TOOL_SERVER_CONNECTIONS entry %d is disabled (config.enable false)", index);
      return Optional.empty();
    }
    String type = text(entry, "type", "openapi").toLowerCase(Locale.ROOT);
    if (!type.equals("openapi") && !type.equals("mcp")) {
      throw new IllegalArgumentException("unknown type \"" + type + "\" (openapi or mcp)");
    }
    String url = text(entry, "url", "").strip().replaceAll("/+$", "");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("url must be an http:// or https:// URL");
    }
    String path = text(entry, "path", "openapi.json").strip();
    if (path.isEmpty()) {
      path = "openapi.json";
    }
    Optional<String> key = Optional.of(text(entry, "key", "").strip()).filter(k -> !k.isEmpty());
    // Open WebUI's default is bearer (with an empty key nothing is sent). Its session and OAuth
    // modes forward the user's own credentials, which the gateway does not hold.
    String authType = text(entry, "auth_type", "bearer").toLowerCase(Locale.ROOT);
    if (!authType.equals("bearer") && !authType.equals("none")) {
      throw new IllegalArgumentException(
          "auth_type \"" + authType + "\" is not supported (bearer or none)");
    }
    JsonNode info = entry.path("info");
    String id = text(info, "id", String.valueOf(index));
    if (id.isBlank()) {
      id = String.valueOf(index);
    }
    String name = text(info, "name", "");
    return Optional.of(
        new ToolServerConnection(
            index, type, url, path, authType, key, id, name.isBlank() ? url : name));
  }

  /** A text field, its default when absent or null; any other JSON type is malformed. */
  private static String text(JsonNode object, String field, String fallback) {
    JsonNode value = object.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.asText();
  }
}
