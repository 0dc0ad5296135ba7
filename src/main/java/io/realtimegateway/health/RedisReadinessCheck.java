package io.realtimegateway.health;

import io.realtimegateway.cluster.redis.RedisClusterBus;
import io.realtimegateway.cluster.redis.ReplicaLiveness;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.task.redis.RedisTaskCommandListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * In Redis mode a replica that cannot reach Redis is not ready: its users would miss what other
 * replicas emit, and stops of its tasks. Ready means subscribed to the manager channel and to the
 * task commands, and renewing the liveness key. Always up in memory mode.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {

  private final boolean redis;
  private final Instance<RedisClusterBus> bus;
  private final Instance<ReplicaLiveness> liveness;
  private final Instance<RedisTaskCommandListener> taskCommands;

  public RedisReadinessCheck(
      GatewayConfig config,
      Instance<RedisClusterBus> bus,
      Instance<ReplicaLiveness> liveness,
      Instance<RedisTaskCommandListener> taskCommands) {
    this.redis = config.cluster().redis();
    this.bus = bus;
    this.liveness = liveness;
    this.taskCommands = taskCommands;
  }

  @Override
  public HealthCheckResponse call() {
    if (!redis) {
      return HealthCheckResponse.named("redis").up().withData("mode", "memory").build();
    }
    boolean subscribed = bus.get().isConnected();
    boolean alive = liveness.get().isHealthy();
    boolean listening = taskCommands.get().isSubscribed();
    return HealthCheckResponse.named("redis")
        .status(subscribed && alive && listening)
        .withData("mode", "redis")
        .withData("subscribed", subscribed)
        .withData("liveness-renewed", alive)
        .withData("task-commands-subscribed", listening)
        .build();
  }
}
