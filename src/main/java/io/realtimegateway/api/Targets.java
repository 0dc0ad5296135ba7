package io.realtimegateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Sessions named in a body: {@code {"session_id"?: str|[str], "user_id"?: str|[str]}}. */
record Targets(Set<String> sessionIds, Set<String> userIds) {

  static Targets parse(JsonNode body) {
    RequestFields.object(body);
    Set<String> sessionIds = RequestFields.stringOrList(body, "session_id");
    Set<String> userIds = RequestFields.stringOrList(body, "user_id");
    if (sessionIds.isEmpty() && userIds.isEmpty()) {
      throw new InvalidRequestException("session_id", "session_id or user_id is required");
    }
    return new Targets(sessionIds, userIds);
  }
}
