package io.realtimegateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Set;

/**
 * Body of {@code POST /internal/v1/emit}: {@code {"event", "data", "room"?, "to"?, "skip_sid"?}}.
 */
record EmitRequest(
    String event, JsonNode data, Set<String> rooms, String to, Set<String> skipSids) {

  static EmitRequest parse(JsonNode body) {
    RequestFields.object(body);
    JsonNode data = body.has("data") ? body.get("data") : NullNode.getInstance();
    return new EmitRequest(
        RequestFields.requiredString(body, "event"),
        data,
        RequestFields.stringOrList(body, "room"),
        RequestFields.optionalString(body, "to"),
        RequestFields.stringOrList(body, "skip_sid"));
  }
}
