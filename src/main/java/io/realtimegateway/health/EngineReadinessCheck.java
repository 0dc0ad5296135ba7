package io.realtimegateway.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.engine.EngineServer;
import io.realtimegateway.socket.SocketServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready from start-up until the drain begins (or shutdown, when there is no drain), so a load
 * balancer stops sending new connections to a replica that is going away; reports how many
 * connections this replica holds.
 */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

  private final EngineServer engine;
  private final SocketServer sockets;
  private volatile boolean accepting;

  public EngineReadinessCheck(EngineServer engine, SocketServer sockets) {
    this.engine = engine;
    this.sockets = sockets;
  }

  void started(@Observes StartupEvent event) {
    accepting = true;
  }

  void stopping(@Observes ShutdownEvent event) {
    accepting = false;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("socket-io")
        .status(accepting && !engine.isDraining())
        .withData("engine-sessions", engine.sessionCount())
        .withData("sockets", sockets.socketCount())
        .build();
  }
}
