package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.realtimegateway.config.GatewayConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks every Engine.IO request (a handshake, a WebSocket upgrade, a poll) and answers a bad one
 * with HTTP 400 and a JSON body {@code {"code", "message"}} (engine.io error codes, python-engineio
 * messages). Polling requests then go to {@link PollingHandler}, WebSocket ones to {@link
 * EngineEndpoint}.
 */
@ApplicationScoped
public class HandshakeFilter {

  /** engine.io's error codes, which its clients know. */
  static final int UNKNOWN_TRANSPORT = 0;

  static final int UNKNOWN_SID = 1;
  static final int BAD_HANDSHAKE_METHOD = 2;
  static final int BAD_REQUEST = 3;
  static final int FORBIDDEN = 4;
  static final int UNSUPPORTED_PROTOCOL_VERSION = 5;

  private static final String CHECKED = HandshakeFilter.class.getName() + ".checked";

  private final EngineRoutes routes;
  private final EngineServer server;
  private final PollingHandler polling;
  private final SessionForwarder forwarder;
  private final Set<String> allowedOrigins;
  private final HandshakeRateLimit rateLimit;

  HandshakeFilter(
      EngineRoutes routes,
      EngineServer server,
      PollingHandler polling,
      SessionForwarder forwarder,
      GatewayConfig config) {
    this.routes = routes;
    this.server = server;
    this.polling = polling;
    this.forwarder = forwarder;
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
    String sid = request.getParam("sid");
    String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    // Only a handshake opens a session; the polls of an open one are not counted.
    if (sid == null && request.method() != HttpMethod.OPTIONS && !rateLimit.allow(address)) {
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
    if (request.method() == HttpMethod.OPTIONS) {
      // A browser's preflight of a polling POST from another origin.
      preflight(context);
      return;
    }
    if (!"4".equals(request.getParam("EIO"))) {
      reject(
          context,
          UNSUPPORTED_PROTOCOL_VERSION,
          "The client is using an unsupported version of the Socket.IO or Engine.IO protocols");
      return;
    }
    if (sid == null && server.isDraining()) {
      // Readiness is DOWN already; a client that still reaches this replica retries elsewhere.
      context
          .response()
          .setStatusCode(503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(
              new JsonObject()
                  .put("code", BAD_REQUEST)
                  .put("message", "Server is shutting down")
                  .encode());
      return;
    }
    String transport = request.getParam("transport");
    if (!server.serves(transport)) {
      reject(context, UNKNOWN_TRANSPORT, "Invalid transport");
      return;
    }
    if ("polling".equals(transport)) {
      polling.handle(context, routes.listenerFor(path).orElseThrow());
      return;
    }
    if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
      reject(context, BAD_REQUEST, "Invalid WebSocket upgrade request");
      return;
    }
    if (sid != null) {
      // An upgrade of a polling session: EngineEndpoint offers the WebSocket to it.
      EngineSession session = server.session(sid);
      if (session == null) {
        forwarder.forwardOrReject(context, sid);
        return;
      }
      if (!"polling".equals(session.transportName())) {
        reject(context, BAD_REQUEST, "Bad request");
        return;
      }
    }
    if (EngineRoutes.isEndpoint(path)) {
      context.next();
    } else {
      context.put(CHECKED, Boolean.TRUE);
      context.reroute(EngineRoutes.ENDPOINT + "/?" + request.query());
    }
  }

  private static void preflight(RoutingContext context) {
    String requested = context.request().getHeader("Access-Control-Request-Headers");
    if (requested != null) {
      context.response().putHeader("Access-Control-Allow-Headers", requested);
    }
    context
        .response()
        .setStatusCode(204)
        .putHeader("Access-Control-Allow-Methods", "OPTIONS, GET, POST")
        .end();
  }

  /** Answers HTTP 400 with engine.io's {@code {"code", "message"}}. Any thread. */
  static void reject(RoutingContext context, int code, String message) {
    Log.debugf("request from %s refused: %s", context.request().remoteAddress(), message);
    if (context.response().ended()) {
      return;
    }
    context
        .response()
        .setStatusCode(400)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("code", code).put("message", message).encode());
  }
}
