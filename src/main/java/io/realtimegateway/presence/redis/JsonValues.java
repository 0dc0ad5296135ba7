package io.realtimegateway.presence.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads JSON values that any process sharing the Redis may have written: an oversize or invalid
 * value is skipped with a warning instead of breaking the reader.
 */
final class JsonValues {

  /** Larger values are not user records or usage maps; they are skipped. */
  static final int MAX_VALUE_BYTES = 1 << 20;

  private final ObjectMapper json;

  JsonValues(ObjectMapper json) {
    this.json = json;
  }

  Optional<ObjectNode> object(String key, String field, String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.length() > MAX_VALUE_BYTES) {
      Log.warnf("skipped oversize value of %s[%s] (%d chars)", key, field, value.length());
      return Optional.empty();
    }
    try {
      JsonNode node = json.readTree(value);
      if (node != null && node.isObject()) {
        return Optional.of((ObjectNode) node);
      }
    } catch (IOException e) {
      // Reported below.
    }
    Log.warnf("skipped invalid JSON value of %s[%s]", key, field);
    return Optional.empty();
  }

  String write(JsonNode value) {
    return value.toString();
  }
}
