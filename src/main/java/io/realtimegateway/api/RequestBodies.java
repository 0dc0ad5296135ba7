package io.realtimegateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Parses request bodies here rather than in the JSON reader, so that a malformed body gets the same
 * 400 {@link ApiError} naming {@code body} as every other bad request.
 */
@ApplicationScoped
class RequestBodies {

  private final ObjectMapper json;

  RequestBodies(ObjectMapper json) {
    this.json = json;
  }

  JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("body", "the request body is not valid JSON");
    }
  }
}
