package io.realtimegateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.logging.Log;
import io.realtimegateway.auth.Authenticator;
import io.realtimegateway.auth.UserProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * What every route of the Open WebUI-compatible API under {@code /api} shares: the user's JWT
 * (header {@code Authorization: Bearer}, or Open WebUI's {@code token} cookie) checked as for a
 * socket, JSON answers, and errors as {@code {"detail": ...}}.
 */
@ApplicationScoped
public class UserRequests {

  private static final String BEARER = "Bearer ";

  private final Authenticator authenticator;
  private final ObjectMapper json;

  public UserRequests(Authenticator authenticator, ObjectMapper json) {
    this.authenticator = authenticator;
    this.json = json;
  }

  /** The signed-in user; fails with 401 without a valid token. */
  public Uni<UserProfile> user(RoutingContext context) {
    String token = tokenOf(context);
    if (token == null) {
      return Uni.createFrom().failure(new OpenWebUiError(401, OpenWebUiError.NOT_AUTHENTICATED));
    }
    return authenticator
        .authenticate(token)
        .map(user -> user.orElseThrow(() -> new OpenWebUiError(401, OpenWebUiError.INVALID_TOKEN)));
  }

  /** The signed-in user if an admin; fails with 401 otherwise, as Open WebUI's admin routes. */
  public Uni<UserProfile> admin(RoutingContext context) {
    return user(context)
        .invoke(
            user -> {
              if (!isAdmin(user)) {
                throw OpenWebUiError.accessProhibited();
              }
            });
  }

  static boolean isAdmin(UserProfile user) {
    return "admin".equals(user.role());
  }

  private static String tokenOf(RoutingContext context) {
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = header.substring(BEARER.length()).trim();
      return token.isEmpty() ? null : token;
    }
    Cookie cookie = context.request().getCookie("token");
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  /** Writes the item of {@code result} as JSON with 200, or the failure through {@link #failed}. */
  public <T> void reply(RoutingContext context, Uni<T> result, Function<T, Object> answer) {
    result.subscribe().with(value -> write(context, 200, answer.apply(value)), context::fail);
  }

  /** The failure handler of {@code /api}: Open WebUI's {@code {"detail"}} errors, never a trace. */
  public void failed(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure instanceof OpenWebUiError error) {
      write(context, error.status(), detail(error.getMessage()));
    } else if (failure instanceof InvalidRequestException invalid) {
      Log.debugf("bad request: %s", invalid.getMessage());
      write(context, 400, detail(invalid.getMessage()));
    } else if (failure == null && context.statusCode() >= 400) {
      HttpResponseStatus status = HttpResponseStatus.valueOf(context.statusCode());
      write(context, status.code(), detail(status.reasonPhrase()));
    } else if (context.statusCode() >= 400 && context.statusCode() < 500) {
      HttpResponseStatus status = HttpResponseStatus.valueOf(context.statusCode());
      write(context, status.code(), detail(status.reasonPhrase()));
    } else {
      Log.errorf(failure, "request %s failed", context.normalizedPath());
      write(context, 500, detail("internal error"));
    }
  }

  private ObjectNode detail(String message) {
    return json.createObjectNode().put("detail", message);
  }

  /** Writes a JSON answer, unless one was written already. */
  public void write(RoutingContext context, int status, Object answer) {
    JsonResponses.write(
        json, context, status, answer, "{\"detail\":\"the answer could not be written as JSON\"}");
  }
}
