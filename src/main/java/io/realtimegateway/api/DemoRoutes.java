package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.auth.DemoTokens;
import io.realtimegateway.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The demo mode ({@code GATEWAY_DEMO}, on in dev mode): {@code /} serves the demo chat page ({@code
 * web/demo} on the classpath, with socket.io-client's bundle the build puts there) and {@code POST
 * /demo/token} signs a short-lived token of a new demo user with the gateway's own secret. Outside
 * demo mode both answer 404, as any unknown path.
 */
@ApplicationScoped
public class DemoRoutes {

  /** Longest display name a demo user may ask for. */
  static final int MAX_NAME_LENGTH = 64;

  private static final String DEFAULT_NAME = "Demo user";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final boolean enabled;
  private final DemoTokens tokens;
  private final ObjectMapper json;
  private final String socketPath;

  public DemoRoutes(GatewayConfig config, DemoTokens tokens, ObjectMapper json) {
    this.enabled = config.demo().enabled();
    this.tokens = tokens;
    this.json = json;
    this.socketPath = config.engine().path();
  }

  /** The demo user a token is for. */
  @RegisterForReflection
  public record DemoUser(String id, String name, String role) {}

  /** Answer of {@code POST /demo/token}. */
  @RegisterForReflection
  public record DemoToken(
      String token,
      DemoUser user,
      @JsonProperty("expires_at") long expiresAt,
      @JsonProperty("socket_path") String socketPath) {}

  void register(@Observes Router router) {
    // The page's files are in the jar in every mode: outside demo mode they are not served.
    router.route("/demo/*").handler(this::onlyInDemoMode);
    if (!enabled) {
      return;
    }
    router.get("/demo/*").handler(PageFiles.handler("demo"));
    Log.info("demo mode (GATEWAY_DEMO): the demo chat page is served at /");
    router.get("/").handler(context -> context.reroute("/demo/index.html"));
    router
        .post("/demo/token")
        .handler(BodyHandler.create(false).setBodyLimit(4096))
        .handler(this::token)
        .failureHandler(this::failed);
  }

  private void onlyInDemoMode(RoutingContext context) {
    if (enabled) {
      context.next();
    } else {
      context.response().setStatusCode(404).end();
    }
  }

  private void token(RoutingContext context) {
    String name = requestedName(context.body().buffer());
    String userId = "demo-" + HexFormat.of().formatHex(randomBytes(6));
    DemoTokens.IssuedToken issued = tokens.issue(userId, name);
    write(
        context,
        200,
        new DemoToken(
            issued.token(),
            new DemoUser(userId, name, "user"),
            issued.expiresAt().getEpochSecond(),
            socketPath));
  }

  /** The body's {@code name}; no body, or none in it, is the default name. */
  private String requestedName(Buffer body) {
    if (body == null || body.length() == 0) {
      return DEFAULT_NAME;
    }
    JsonNode request;
    try {
      request = json.readTree(body.getBytes());
    } catch (IOException e) {
      throw new InvalidRequestException("body", "the body must be a JSON object");
    }
    if (request == null || !request.isObject()) {
      throw new InvalidRequestException("body", "the body must be a JSON object");
    }
    JsonNode name = request.get("name");
    if (name == null || name.isNull()) {
      return DEFAULT_NAME;
    }
    if (!name.isTextual() || name.asText().isBlank()) {
      throw new InvalidRequestException("name", "name must be a non-empty string");
    }
    String text = name.asText().strip();
    if (text.length() > MAX_NAME_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException(
          "name",
          "name must be at most " + MAX_NAME_LENGTH + " characters, without control characters");
    }
    return text;
  }

  private void failed(RoutingContext context) {
    if (context.failure() instanceof InvalidRequestException invalid) {
      write(context, 400, new ApiError(invalid.getMessage(), invalid.field()));
    } else if (context.statusCode() >= 400 && context.statusCode() < 500) {
      write(context, context.statusCode(), ApiError.of("request refused"));
    } else {
      Log.errorf(context.failure(), "demo token request failed");
      write(context, 500, ApiError.of("internal error"));
    }
  }

  private void write(RoutingContext context, int status, Object answer) {
    context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    JsonResponses.write(
        json, context, status, answer, "{\"error\":\"the answer could not be written as JSON\"}");
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
