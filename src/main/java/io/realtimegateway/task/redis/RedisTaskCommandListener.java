package io.realtimegateway.task.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisModeOff;
import io.realtimegateway.redis.RedisSubscription;
import io.realtimegateway.redis.SharedRedis;
import io.realtimegateway.task.Tasks;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;

/**
 * Open WebUI's task-command listener, without its faults (spec §10: a listener that died on a
 * socket timeout or a Redis restart and never came back). Subscribes to {@code
 * {prefix}:tasks:commands} at start-up and stops the local task named by each {@code {"action":
 * "stop", "task_id"}}; resubscribes after any connection loss (a {@link RedisSubscription}); and
 * each time it is subscribed again, writes this replica's tasks again and looks for stop markers,
 * so a stop published while this replica was cut off still lands. The same check runs with every
 * renewal of the tasks' entries.
 */
@Singleton
public class RedisTaskCommandListener {

  private final RedisTaskRegistry registry;
  private final Tasks tasks;
  private final ObjectMapper json;
  private final RedisSubscription subscription;

  public RedisTaskCommandListener(
      @SharedRedis ReactiveRedisDataSource redis,
      RedisTaskRegistry registry,
      Tasks tasks,
      ObjectMapper json,
      GatewayConfig config,
      Vertx vertx,
      MeterRegistry meters) {
    this.registry = registry;
    this.tasks = tasks;
    this.json = json;
    String channel = new RedisKeys(config.cluster().keyPrefix()).taskCommands();
    this.subscription =
        new RedisSubscription(
            redis.pubsub(String.class),
            vertx.getOrCreateContext(),
            config.cluster().resubscribeBackoff(),
            channel,
            List.of(new RedisSubscription.Topic(List.of(channel), false, this::onCommand)),
            this::catchUp,
            meters,
            "task-commands");
  }

  /** Subscribes; called once at start-up in Redis mode. */
  public void start() {
    subscription.start();
  }

  @PreDestroy
  void stop() {
    subscription.stop();
  }

  /** Whether the listener is subscribed, for readiness. */
  public boolean isSubscribed() {
    return subscription.isSubscribed();
  }

  /** Renews this replica's task entries and applies stops it may have missed. */
  @Scheduled(
      identity = "task-renewal",
      every = "${gateway.tasks.renew-interval:10s}",
      concurrentExecution = ConcurrentExecution.SKIP,
      skipExecutionIf = RedisModeOff.class)
  Uni<Void> renew() {
    return apply(registry.renew());
  }

  private void catchUp() {
    apply(registry.reassertAndFindStops()).subscribe().with(ignored -> {}, ignored -> {});
  }

  private Uni<Void> apply(Uni<List<RedisTaskRegistry.PendingStop>> stops) {
    return stops
        .invoke(
            found -> {
              for (RedisTaskRegistry.PendingStop stop : found) {
                Log.infof(
                    "task %s: applying a stop published while this replica was away",
                    stop.taskId());
                tasks.stopHere(stop.taskId(), stop.requestedAt());
              }
            })
        .replaceWithVoid()
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.debugf("task entries could not be renewed: %s", failure.toString());
              return null;
            });
  }

  private void onCommand(String channel, String payload) {
    JsonNode command;
    try {
      command = json.readTree(payload);
    } catch (IOException e) {
      Log.debugf("ignored an unreadable task command: %s", e.getMessage());
      return;
    }
    if (command == null
        || !"stop".equals(command.path("action").asText())
        || !command.path("task_id").isTextual()) {
      Log.debugf("ignored a task command that is not a stop: %s", payload);
      return;
    }
    tasks.stopHere(command.get("task_id").asText(), command.path("requested_at").asLong(0));
  }
}
