package io.realtimegateway.cluster.redis;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.realtimegateway.cluster.ClusterBus;
import io.realtimegateway.cluster.ClusterMessage;
import io.realtimegateway.cluster.ClusterProtocolException;
import io.realtimegateway.cluster.ClusterReceiver;
import io.realtimegateway.cluster.PythonManagerCodec;
import io.realtimegateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;

/**
 * python-socketio's Redis manager transport. Publishes on {@code socketio}, or on {@code
 * socketio#<namespace>#<room>} for a single-room emit when room channels are on. Subscribes on a
 * connection of its own (never shared with commands), at start-up and again after every connection
 * loss, backing off from 100 ms to {@code resubscribe-backoff}.
 */
public final class RedisClusterBus implements ClusterBus {

  private static final Duration FIRST_RETRY = Duration.ofMillis(100);

  private final Redis redis;
  private final ReactiveRedisDataSource commands;
  private final PythonManagerCodec codec;
  private final GatewayConfig.Cluster config;
  private final Vertx vertx;
  private final String roomChannelPrefix;
  private final String gatewayChannel;
  private volatile ClusterReceiver receiver;
  private volatile RedisConnection subscription;
  private volatile boolean connected;
  private volatile boolean stopped;
  private volatile Duration nextRetry = FIRST_RETRY;

  public RedisClusterBus(
      Redis redis,
      ReactiveRedisDataSource commands,
      PythonManagerCodec codec,
      GatewayConfig config,
      Vertx vertx) {
    this.redis = redis;
    this.commands = commands;
    this.codec = codec;
    this.config = config.cluster();
    this.vertx = vertx;
    this.roomChannelPrefix = this.config.channel() + "#";
    // Not under "socketio#", so Open WebUI's pattern subscription never sees it.
    this.gatewayChannel = this.config.channel() + ":gateway";
  }

  @Override
  public Uni<Void> publish(ClusterMessage message) {
    return commands.execute("PUBLISH", channelOf(message), codec.encode(message)).replaceWithVoid();
  }

  /** Open WebUI 0.11.5: only a single-room emit goes to its room's channel. */
  private String channelOf(ClusterMessage message) {
    if (message instanceof ClusterMessage.FetchRoom
        || message instanceof ClusterMessage.RoomMembers) {
      return gatewayChannel;
    }
    if (config.roomChannels()
        && message instanceof ClusterMessage.Emit emit
        && emit.callback() == null
        && emit.rooms() != null
        && emit.rooms().size() == 1) {
      return roomChannelPrefix + emit.namespace() + "#" + emit.rooms().get(0);
    }
    return config.channel();
  }

  @Override
  public void start(ClusterReceiver receiver) {
    this.receiver = receiver;
    subscribe();
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void stop() {
    stopped = true;
    connected = false;
    RedisConnection current = subscription;
    if (current != null) {
      current.close().subscribe().with(ignored -> {}, failure -> {});
    }
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    redis
        .connect()
        .chain(
            connection -> {
              subscription = connection;
              connection.handler(this::onPush);
              connection.exceptionHandler(failure -> lost(connection, failure.toString()));
              connection.endHandler(() -> lost(connection, "connection closed"));
              Uni<Response> subscribed =
                  connection.send(
                      Request.cmd(Command.SUBSCRIBE).arg(config.channel()).arg(gatewayChannel));
              if (config.roomChannels()) {
                subscribed =
                    subscribed.chain(
                        () ->
                            connection.send(
                                Request.cmd(Command.PSUBSCRIBE).arg(roomChannelPrefix + "*")));
              }
              return subscribed.replaceWith(connection);
            })
        .subscribe()
        .with(
            connection -> {
              connected = true;
              nextRetry = FIRST_RETRY;
              Log.infof("subscribed to Redis channel %s", config.channel());
            },
            failure -> {
              Log.debugf("Redis subscription failed: %s", failure.toString());
              RedisConnection current = subscription;
              if (current != null) {
                current.close().subscribe().with(ignored -> {}, ignored -> {});
              }
              retryLater();
            });
  }

  private void lost(RedisConnection connection, String reason) {
    if (connection != subscription || stopped) {
      return;
    }
    subscription = null;
    if (connected) {
      Log.warnf("Redis subscription lost (%s); resubscribing", reason);
    }
    connected = false;
    connection.close().subscribe().with(ignored -> {}, ignored -> {});
    retryLater();
  }

  private void retryLater() {
    if (stopped) {
      return;
    }
    Duration wait = nextRetry;
    Duration doubled = wait.multipliedBy(2);
    nextRetry =
        doubled.compareTo(config.resubscribeBackoff()) > 0 ? config.resubscribeBackoff() : doubled;
    vertx.setTimer(wait.toMillis(), id -> subscribe());
  }

  private void onPush(Response push) {
    if (push == null || push.size() < 3) {
      return;
    }
    String kind = push.get(0).toString();
    if ("message".equals(kind) && push.size() >= 3) {
      deliver(push.get(1).toString(), push.get(2).toString());
    } else if ("pmessage".equals(kind) && push.size() >= 4) {
      String channel = push.get(2).toString();
      if (concernsThisHost(channel)) {
        deliver(channel, push.get(3).toString());
      }
    }
  }

  /** Drops room emits for rooms without local members before any JSON is decoded. */
  private boolean concernsThisHost(String channel) {
    if (!channel.startsWith(roomChannelPrefix)) {
      return false;
    }
    String rest = channel.substring(roomChannelPrefix.length());
    int separator = rest.indexOf('#');
    if (separator < 0) {
      return false;
    }
    return receiver.hasLocalMembers(rest.substring(0, separator), rest.substring(separator + 1));
  }

  private void deliver(String channel, String payload) {
    ClusterMessage message;
    try {
      message = codec.decode(payload);
    } catch (ClusterProtocolException e) {
      Log.warnf("dropped a message on %s: %s", channel, e.getMessage());
      return;
    }
    try {
      receiver.receive(message);
    } catch (RuntimeException e) {
      Log.warnf(e, "handling a message from %s failed", message.hostId());
    }
  }
}
