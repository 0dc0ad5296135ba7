package io.realtimegateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads typed fields from a JSON request body, failing with the field's name. */
final class RequestFields {

  private RequestFields() {}

  static JsonNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    return body;
  }

  static String requiredString(JsonNode body, String field) {
    String value = optionalString(body, field);
    if (value == null || value.isEmpty()) {
      throw new InvalidRequestException(
          field, field + " is required and must be a non-empty string");
    }
    return value;
  }

  static String optionalString(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    return value.asText();
  }

  /** A string or a list of strings, as python-socketio accepts for rooms and skip_sid. */
  static Set<String> stringOrList(JsonNode body, String field) {
    JsonNode value = body.get(field);
    Set<String> values = new LinkedHashSet<>();
    if (value == null || value.isNull()) {
      return values;
    }
    if (value.isTextual()) {
      values.add(value.asText());
      return values;
    }
    if (value.isArray()) {
      for (JsonNode element : value) {
        if (!element.isTextual()) {
          throw new InvalidRequestException(
              field, field + " must be a string or a list of strings");
        }
        values.add(element.asText());
      }
      return values;
    }
    throw new InvalidRequestException(field, field + " must be a string or a list of strings");
  }

  static Long optionalPositiveLong(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() <= 0) {
      throw new InvalidRequestException(field, field + " must be a positive integer");
    }
    return value.asLong();
  }
}
