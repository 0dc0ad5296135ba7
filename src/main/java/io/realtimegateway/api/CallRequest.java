package io.realtimegateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;

/**
 * Body of {@code POST /internal/v1/call}: {@code {"session_id", "user_id"?, "event"?, "data",
 * "timeout_ms"?}}.
 *
 * @param userId when present, the session must be this user's (Open WebUI's event caller check,
 *     spec §5.3); {@code null} leaves that check to the backend
 * @param timeout {@code null} for the configured default
 */
record CallRequest(String sessionId, String userId, String event, JsonNode data, Duration timeout) {

  /** Open WebUI's event caller always uses this event. */
  static final String DEFAULT_EVENT = "events";

  static CallRequest parse(JsonNode body) {
    RequestFields.object(body);
    String event = RequestFields.optionalString(body, "event");
    Long timeoutMs = RequestFields.optionalPositiveLong(body, "timeout_ms");
    return new CallRequest(
        RequestFields.requiredString(body, "session_id"),
        RequestFields.optionalString(body, "user_id"),
        event == null || event.isEmpty() ? DEFAULT_EVENT : event,
        body.has("data") ? body.get("data") : NullNode.getInstance(),
        timeoutMs == null ? null : Duration.ofMillis(timeoutMs));
  }
}
