package io.realtimegateway.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which HTTP paths speak Engine.IO, and what sits on top of each: every {@link EngineListener} bean
 * names its paths. All of them are served by the one WebSocket endpoint declared at {@link
 * #ENDPOINT}; {@link HandshakeFilter} routes a public path there after checking the handshake.
 */
@ApplicationScoped
public class EngineRoutes {

  /** Path of the declared WebSocket endpoint; public paths are routed to it. */
  public static final String ENDPOINT = "/ws/socket.io";

  private final Map<String, EngineListener> listeners = new HashMap<>();

  public EngineRoutes(@Any Instance<EngineListener> beans) {
    for (EngineListener listener : beans) {
      for (String path : listener.paths()) {
        if (listeners.put(withoutTrailingSlash(path), listener) != null) {
          throw new IllegalStateException("two Engine.IO listeners on path " + path);
        }
      }
    }
  }

  /** What serves a request path, if it is an Engine.IO path here. */
  public Optional<EngineListener> listenerFor(String path) {
    return Optional.ofNullable(listeners.get(withoutTrailingSlash(path)));
  }

  /** Whether a path is the declared endpoint itself. */
  static boolean isEndpoint(String path) {
    return ENDPOINT.equals(withoutTrailingSlash(path));
  }

  private static String withoutTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
