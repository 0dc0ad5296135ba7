package io.realtimegateway.api;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads typed fields from a JSON request body, failing with the field's name. */
final class RequestFields {

  /**
   * Most entries a list field ({@code room}, {@code skip_sid}, {@code session_id}, {@code user_id})
   * may hold. Each entry costs a room lookup or, in Redis mode, a message to the other replicas;
   * Open WebUI sends one room or a channel's members, far below this. Candidate for configuration.
   */
  static final int MAX_LIST_SIZE = 10_000;

  private RequestFields() {}

  /**
   * A request body as JSON; an empty, malformed (including invalid UTF-8 and trailing data) or too
   * deeply nested one is a 400 naming {@code body}.
   */
  static JsonNode parse(ObjectReader reader, Buffer body) {
    if (body == null || body.length() == 0) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    try {
      return reader.readTree(body.getBytes());
    } catch (StreamConstraintsException e) {
      throw new InvalidRequestException(
          "body", "the request body exceeds a JSON limit (nesting depth, number or string length)");
    } catch (IOException e) {
      throw new InvalidRequestException("body", "the request body is not valid JSON");
    }
  }

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
      if (value.size() > MAX_LIST_SIZE) {
        throw new InvalidRequestException(
            field, field + " has " + value.size() + " entries, more than " + MAX_LIST_SIZE);
      }
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
