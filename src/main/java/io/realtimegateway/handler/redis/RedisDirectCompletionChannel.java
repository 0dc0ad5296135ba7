package io.realtimegateway.handler.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.handler.DirectCompletionChannel;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/**
 * Publishes direct-connection chunks on {@code {prefix}:direct_completion} as {@code {"channel":
 * <event name>, "data": <first argument>}}, which every Open WebUI instance's listener reads.
 */
@Singleton
@Typed(RedisDirectCompletionChannel.class)
public final class RedisDirectCompletionChannel implements DirectCompletionChannel {

  private final ReactivePubSubCommands<String> pubsub;
  private final String channel;
  private final ObjectMapper json;

  public RedisDirectCompletionChannel(
      @SharedRedis ReactiveRedisDataSource redis, GatewayConfig config, ObjectMapper json) {
    this.pubsub = redis.pubsub(String.class);
    this.channel = new RedisKeys(config.cluster().keyPrefix()).directCompletion();
    this.json = json;
  }

  @Override
  public Uni<Void> publish(String eventName, JsonNode data) {
    String message = json.createObjectNode().put("channel", eventName).set("data", data).toString();
    return pubsub.publish(channel, message);
  }
}
