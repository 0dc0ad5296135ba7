package io.realtimegateway.api;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.ClientAddresses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards {@code /internal/*}: with {@code GATEWAY_API_KEY} set, a request needs {@code
 * Authorization: Bearer <key>}; without one, only loopback clients are answered. Anything else gets
 * 401 with a JSON error.
 */
@ApplicationScoped
public class InternalApiGuard {

  private static final String BEARER = "Bearer ";

  private final Optional<byte[]> apiKey;

  public InternalApiGuard(GatewayConfig config) {
    this.apiKey =
        config
            .api()
            .apiKey()
            .filter(key -> !key.isBlank())
            .map(key -> key.getBytes(StandardCharsets.UTF_8));
  }

  void authorize(RoutingContext context) {
    HttpServerRequest request = context.request();
    if (apiKey.isPresent()) {
      String header = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (header != null
          && header.startsWith(BEARER)
          && MessageDigest.isEqual(
              apiKey.get(), header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8))) {
        context.next();
        return;
      }
      unauthorized(context, "a valid Authorization: Bearer <GATEWAY_API_KEY> header is required");
      return;
    }
    if (request.remoteAddress() != null
        && ClientAddresses.isLoopback(request.remoteAddress().hostAddress())) {
      context.next();
      return;
    }
    unauthorized(context, "GATEWAY_API_KEY is not set: only loopback clients may use this API");
  }

  /**
   * Guards the console's page files ({@code /console}): the same rule without a key (loopback
   * only). With a key, the page is served to anyone: it holds no data, asks for the key, and sends
   * it on every request to {@code /internal/v1/console}, which {@link #authorize} guards.
   */
  void authorizePage(RoutingContext context) {
    if (apiKey.isPresent()) {
      context.next();
      return;
    }
    authorize(context);
  }

  private static void unauthorized(RoutingContext context, String message) {
    context
        .response()
        .setStatusCode(401)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
