package io.realtimegateway.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a tool call sends to the user's tabs inside Open WebUI's {@code events} envelope: {@code
 * embeds}, {@code files}, {@code source} (spec §4.2).
 *
 * @param type the {@code data.type}
 * @param data the {@code data.data}
 */
public record ToolEvent(String type, JsonNode data) {}
