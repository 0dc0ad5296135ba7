package io.realtimegateway.health;

import io.realtimegateway.engine.EngineServer;
import io.realtimegateway.socket.SocketServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Socket.IO server accepts connections; reports how many it holds. */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

  private final EngineServer engine;
  private final SocketServer sockets;

  public EngineReadinessCheck(EngineServer engine, SocketServer sockets) {
    this.engine = engine;
    this.sockets = sockets;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("socket-io")
        .up()
        .withData("engine-sessions", engine.sessionCount())
        .withData("sockets", sockets.socketCount())
        .build();
  }
}
