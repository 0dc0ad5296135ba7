package io.realtimegateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.engine.EngineServer;
import io.realtimegateway.handler.SocketUsers;
import io.realtimegateway.socket.SocketServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Connection gauges on {@code /q/metrics}. */
@ApplicationScoped
public class GatewayMetrics {

  void register(
      @Observes StartupEvent event,
      MeterRegistry registry,
      EngineServer engine,
      SocketServer sockets,
      SocketUsers users) {
    Gauge.builder("gateway.engine.sessions", engine, EngineServer::sessionCount)
        .description("Engine.IO sessions open on this replica")
        .register(registry);
    Gauge.builder("gateway.sockets", sockets, SocketServer::socketCount)
        .description("Socket.IO sockets connected to this replica")
        .register(registry);
    Gauge.builder("gateway.sockets.authenticated", users, SocketUsers::authenticatedCount)
        .description("Sockets connected to this replica whose user is known (token or user-join)")
        .register(registry);
  }
}
