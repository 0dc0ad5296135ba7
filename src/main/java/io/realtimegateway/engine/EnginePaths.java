package io.realtimegateway.engine;

import io.realtimegateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP paths that speak Engine.IO. The WebSocket endpoints are declared at build time; the
 * public path of the Socket.IO endpoint is configurable ({@code gateway.engine.path}) and routed to
 * the declared one. The conformance profile adds the test suites' {@code /socket.io} and {@code
 * /engine.io}.
 */
@ApplicationScoped
public class EnginePaths {

  /** Open WebUI's endpoint (client option {@code path: '/ws/socket.io'}). */
  public static final String SOCKET_IO = "/ws/socket.io";

  /** The socket.io-protocol test suite's endpoint. */
  public static final String CONFORMANCE_SOCKET_IO = "/socket.io";

  /** The engine.io-protocol test suite's raw echo endpoint. */
  public static final String CONFORMANCE_ENGINE_IO = "/engine.io";

  /** Every endpoint the build declares; one not served in this configuration answers 404. */
  static final Set<String> DECLARED =
      Set.of(SOCKET_IO, CONFORMANCE_SOCKET_IO, CONFORMANCE_ENGINE_IO);

  /** Public path -> declared endpoint path. */
  private final Map<String, String> served = new HashMap<>();

  public EnginePaths(GatewayConfig config) {
    served.put(withoutTrailingSlash(config.engine().path()), SOCKET_IO);
    if (config.conformance().enabled()) {
      served.put(CONFORMANCE_SOCKET_IO, CONFORMANCE_SOCKET_IO);
      served.put(CONFORMANCE_ENGINE_IO, CONFORMANCE_ENGINE_IO);
    }
  }

  /** The declared endpoint that serves a public path, if it is an Engine.IO path here. */
  public Optional<String> endpointFor(String path) {
    return Optional.ofNullable(served.get(withoutTrailingSlash(path)));
  }

  /** Whether a path belongs to a declared endpoint (served here or not). */
  public boolean isDeclared(String path) {
    return DECLARED.contains(withoutTrailingSlash(path));
  }

  static String withoutTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
