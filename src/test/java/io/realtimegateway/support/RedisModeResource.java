package io.realtimegateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real {@code redis-server} on a free port for a {@code @QuarkusTest} in Redis mode ({@code
 * WEBSOCKET_MANAGER=redis}); the test reaches it through {@link #server()}.
 */
public class RedisModeResource implements QuarkusTestResourceLifecycleManager {

  private static volatile RedisServer server;

  /** The server of the running test. */
  public static RedisServer server() {
    return server;
  }

  @Override
  public Map<String, String> start() {
    server = RedisServer.start();
    return Map.of("quarkus.redis.hosts", server.url(), "gateway.cluster.manager", "redis");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
