package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.realtimegateway.config.GatewayConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an Engine.IO handshake before the WebSocket upgrade and answers a bad one with HTTP 400
 * and a JSON body {@code {"code", "message"}} (engine.io error codes, python-engineio messages).
 */
@ApplicationScoped
public class HandshakeFilter {

  /** engine.io's error codes, which its clients know. */
  static final int UNKNOWN_TRANSPORT = 0;

  static final int UNKNOWN_SID = 1;
  static final int BAD_REQUEST = 3;
  static final int FORBIDDEN = 4;
  static final int UNSUPPORTED_PROTOCOL_VERSION = 5;

  private static final String CHECKED = HandshakeFilter.class.getName() + ".checked";

  private final EngineRoutes routes;
  private final Set<String> allowedOrigins;
  private final HandshakeRateLimit rateLimit;

  public HandshakeFilter(EngineRoutes routes, GatewayConfig config) {
    this.routes = routes;
    this.rateLimit = new HandshakeRateLimit(config.limits().handshakesPerSecond());
    String origins = config.engine().corsAllowOrigin().trim();
    this.allowedOrigins =
        "*".equals(origins)
            ? Set.of()
            : Arrays.stream(origins.split(";"))
                .map(String::trim)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
  }

  void register(@Observes Filters filters) {
    filters.register(this::check, 100);
  }

  private void check(RoutingContext context) {
    HttpServerRequest request = context.request();
    String path = request.path() == null ? "" : request.path();
    if (context.get(CHECKED) != null) {
      // Rerouted here from the public path, already checked.
      context.next();
      return;
    }
    if (routes.listenerFor(path).isEmpty()) {
      if (EngineRoutes.isEndpoint(path)) {
        // The endpoint path itself is not public here (gateway.engine.path moved it).
        context.response().setStatusCode(404).end();
      } else {
        context.next();
      }
      return;
    }
    String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (!rateLimit.allow(address)) {
      Log.debugf("handshake from %s refused: over the rate limit", address);
      context
          .response()
          .setStatusCode(429)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(
              new JsonObject()
                  .put("code", BAD_REQUEST)
                  .put("message", "Too many connection attempts")
                  .encode());
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin)) {
      reject(context, FORBIDDEN, origin + " is not an accepted origin.");
      return;
    }
    if (origin != null) {
      context.response().putHeader("Access-Control-Allow-Origin", origin);
      context.response().putHeader("Access-Control-Allow-Credentials", "true");
    }
    if (!"4".equals(request.getParam("EIO"))) {
      reject(
          context,
          UNSUPPORTED_PROTOCOL_VERSION,
          "The client is using an unsupported version of the Socket.IO or Engine.IO protocols");
      return;
    }
    if (!"websocket".equals(request.getParam("transport"))) {
      reject(context, UNKNOWN_TRANSPORT, "Invalid transport");
      return;
    }
    if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
      reject(context, BAD_REQUEST, "Invalid WebSocket upgrade request");
      return;
    }
    if (request.getParam("sid") != null) {
      // An upgrade of a polling session: there is no polling transport yet.
      reject(context, UNKNOWN_SID, "Session ID unknown");
      return;
    }
    if (EngineRoutes.isEndpoint(path)) {
      context.next();
    } else {
      context.put(CHECKED, Boolean.TRUE);
      context.reroute(EngineRoutes.ENDPOINT + "/?" + request.query());
    }
  }

  private static void reject(RoutingContext context, int code, String message) {
    Log.debugf("handshake from %s refused: %s", context.request().remoteAddress(), message);
    context
        .response()
        .setStatusCode(400)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("code", code).put("message", message).encode());
  }
}
