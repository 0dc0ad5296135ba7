package io.realtimegateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** How every route of the HTTP APIs writes its JSON answer. */
final class JsonResponses {

  private JsonResponses() {}

  /**
   * Writes {@code answer} (a {@code String} as it is, anything else serialised), unless an answer
   * was written already; an answer that cannot be serialised becomes a 500 with {@code unwritable},
   * the error body in the API's own shape.
   *
   * <p>Jackson reads a record's components through reflection, which the native executable allows
   * only for registered types: every record written here carries {@code @RegisterForReflection}
   * (JacksonReflectionGuard fails the tests for one that does not).
   */
  static void write(
      ObjectMapper json, RoutingContext context, int status, Object answer, String unwritable) {
    if (context.response().ended()) {
      return;
    }
    String text;
    try {
      text = answer instanceof String raw ? raw : json.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      status = 500;
      text = unwritable;
    }
    context
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(text);
  }
}
