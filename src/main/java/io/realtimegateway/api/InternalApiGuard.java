package io.realtimegateway.api;

import io.realtimegateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /internal/*}: with {@code GATEWAY_API_KEY} set, a request needs {@code
 * Authorization: Bearer <key>}; without one, only loopback clients are answered. Anything else gets
 * 401 with a JSON error.
 */
public class InternalApiGuard {

  private final Optional<byte[]> apiKey;

  public InternalApiGuard(GatewayConfig config) {
    this.apiKey =
        config
            .api()
            .apiKey()
            .filter(key -> !key.isBlank())
            .map(key -> key.getBytes(StandardCharsets.UTF_8));
  }

  @ServerRequestFilter(preMatching = true)
  public Response authorize(ContainerRequestContext context, HttpServerRequest request) {
    if (!context.getUriInfo().getPath().startsWith("/internal/")) {
      return null;
    }
    if (apiKey.isPresent()) {
      String header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
      if (header != null
          && header.startsWith("Bearer ")
          && MessageDigest.isEqual(
              apiKey.get(),
              header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8))) {
        return null;
      }
      return unauthorized("a valid Authorization: Bearer <GATEWAY_API_KEY> header is required");
    }
    if (request.remoteAddress() != null && isLoopback(request.remoteAddress().hostAddress())) {
      return null;
    }
    return unauthorized("GATEWAY_API_KEY is not set: only loopback clients may use this API");
  }

  /** Whether an IP literal is a loopback address (127.0.0.0/8, ::1). */
  static boolean isLoopback(String hostAddress) {
    if (hostAddress == null || hostAddress.isEmpty() || Character.isLetter(hostAddress.charAt(0))) {
      // Only IP literals: a name here would make InetAddress resolve it.
      return false;
    }
    try {
      return InetAddress.getByName(hostAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Response unauthorized(String message) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .type(MediaType.APPLICATION_JSON)
        .entity(ApiError.of(message))
        .build();
  }
}
