package io.realtimegateway.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * In Redis mode a replica that cannot reach Redis is not ready: its users would miss what other
 * replicas emit. Always up in memory mode.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {

  private final DeploymentMode mode;

  public RedisReadinessCheck(DeploymentMode mode) {
    this.mode = mode;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("redis")
        .status(mode.isRedisHealthy())
        .withData("mode", mode.isRedis() ? "redis" : "memory")
        .build();
  }
}
