package io.realtimegateway.support;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Records what is published on Redis channels, as an Open WebUI Python instance subscribed to
 * {@code socketio} and {@code socketio#*} would receive it.
 */
public final class RedisChannelRecorder implements AutoCloseable {

  /** One published message. */
  public record Published(String channel, String payload) {}

  private final Vertx vertx = Vertx.vertx();
  private final RedisConnection connection;
  private final List<Published> messages = new CopyOnWriteArrayList<>();

  public RedisChannelRecorder(String redisUrl, String channel, String pattern) {
    try {
      connection =
          Redis.createClient(vertx, redisUrl)
              .connect()
              .toCompletionStage()
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      connection.handler(
          push -> {
            String kind = push.get(0).toString();
            if ("message".equals(kind)) {
              messages.add(new Published(push.get(1).toString(), push.get(2).toString()));
            } else if ("pmessage".equals(kind)) {
              messages.add(new Published(push.get(2).toString(), push.get(3).toString()));
            }
          });
      connection
          .send(Request.cmd(Command.SUBSCRIBE).arg(channel))
          .compose(ignored -> connection.send(Request.cmd(Command.PSUBSCRIBE).arg(pattern)))
          .toCompletionStage()
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("could not subscribe to " + redisUrl, e);
    }
  }

  public List<Published> messages() {
    return messages;
  }

  /** Waits for the first message whose payload contains {@code marker}. */
  public Published await(String marker, Duration timeout) {
    return Awaitility.await()
        .atMost(timeout)
        .until(
            () ->
                messages.stream()
                    .filter(message -> message.payload().contains(marker))
                    .findFirst()
                    .orElse(null),
            found -> found != null);
  }

  @Override
  public void close() {
    connection.close();
    vertx.close();
  }
}
