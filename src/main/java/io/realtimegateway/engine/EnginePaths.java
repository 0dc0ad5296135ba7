package io.realtimegateway.engine;

import io.realtimegateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The HTTP paths that speak Engine.IO. Production serves Open WebUI's {@code /ws/socket.io}; the
 * conformance profile adds the test suites' {@code /socket.io} and {@code /engine.io}.
 */
@ApplicationScoped
public class EnginePaths {

  /** Open WebUI's endpoint (client option {@code path: '/ws/socket.io'}). */
  public static final String SOCKET_IO = "/ws/socket.io";

  /** The socket.io-protocol test suite's endpoint. */
  public static final String CONFORMANCE_SOCKET_IO = "/socket.io";

  /** The engine.io-protocol test suite's raw echo endpoint. */
  public static final String CONFORMANCE_ENGINE_IO = "/engine.io";

  /** Every endpoint the build declares; those not served in this profile answer 404. */
  static final Set<String> DECLARED =
      Set.of(SOCKET_IO, CONFORMANCE_SOCKET_IO, CONFORMANCE_ENGINE_IO);

  private final Set<String> all;

  public EnginePaths(GatewayConfig config) {
    this.all =
        config.conformance().enabled()
            ? Set.of(SOCKET_IO, CONFORMANCE_SOCKET_IO, CONFORMANCE_ENGINE_IO)
            : Set.of(SOCKET_IO);
  }

  /** Every path served in this profile. */
  public Set<String> all() {
    return all;
  }
}
