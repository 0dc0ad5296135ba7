package io.realtimegateway.cluster.redis;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.realtimegateway.cluster.ClusterBus;
import io.realtimegateway.cluster.ClusterMessage;
import io.realtimegateway.cluster.ClusterProtocolException;
import io.realtimegateway.cluster.ClusterReceiver;
import io.realtimegateway.cluster.PythonManagerCodec;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * python-socketio's Redis manager transport. Publishes on {@code socketio}, or on {@code
 * socketio#<namespace>#<room>} for a single-room emit when room channels are on.
 *
 * <p>The subscriber is one state machine, and every transition runs on one Vert.x context, so no
 * two transitions interleave: {@code IDLE -> SUBSCRIBING -> SUBSCRIBED}; a failed attempt or a lost
 * connection goes to {@code WAITING} and, after a back-off from 100 ms to {@code
 * resubscribe-backoff}, to {@code SUBSCRIBING} again; {@code stop} goes to {@code STOPPED} for
 * good. Each attempt has a number, and an event of an older attempt (a late failure, the end of a
 * connection already replaced) changes nothing, so there is never more than one subscription.
 * Subscriptions use connections of their own, never shared with commands.
 */
@Singleton
public final class RedisClusterBus implements ClusterBus {

  private static final Duration FIRST_RETRY = Duration.ofMillis(100);

  /**
   * What a publish waiting for Redis holds besides its payload (command, buffers, callbacks),
   * measured with a frozen Redis: about 3.4 KiB for a 1 KiB payload.
   */
  private static final int PUBLISH_OVERHEAD = 4096;

  private enum State {
    IDLE,
    SUBSCRIBING,
    SUBSCRIBED,
    WAITING,
    STOPPED
  }

  private final ReactivePubSubCommands<String> pubsub;
  private final PythonManagerCodec codec;
  private final GatewayConfig.Cluster config;
  private final Context context;
  private final String roomChannelPattern;
  private final String roomChannelPrefix;
  private final String gatewayChannel;
  private final long maxBacklog;

  /** Estimated bytes of publishes Redis has not answered yet. */
  private final AtomicLong backlog = new AtomicLong();

  // State of the machine: on the context only.
  private State state = State.IDLE;
  private long attempt;
  private List<ReactiveRedisSubscriber> subscribers = List.of();
  private Duration nextRetry = FIRST_RETRY;
  private ClusterReceiver receiver;

  /** Whether subscribed, for readiness; written on the context. */
  private volatile boolean connected;

  public RedisClusterBus(
      @SharedRedis ReactiveRedisDataSource redis,
      PythonManagerCodec codec,
      GatewayConfig config,
      Vertx vertx) {
    this.pubsub = redis.pubsub(String.class);
    this.codec = codec;
    this.config = config.cluster();
    this.context = vertx.getOrCreateContext();
    this.roomChannelPrefix = this.config.channel() + "#";
    this.roomChannelPattern = roomChannelPrefix + "*";
    // Not under "socketio#", so Open WebUI's pattern subscription never sees it.
    this.gatewayChannel = this.config.channel() + ":gateway";
    this.maxBacklog = this.config.maxPublishBacklog().asLongValue();
  }

  /**
   * Publishes, unless too much is already waiting for Redis: a Redis that hangs (no answer, no
   * error) would otherwise hold every emit in memory until the connection pool gives up.
   */
  @Override
  public Uni<Void> publish(ClusterMessage message) {
    String payload = codec.encode(message);
    long cost = payload.length() + PUBLISH_OVERHEAD;
    if (backlog.addAndGet(cost) > maxBacklog) {
      backlog.addAndGet(-cost);
      return Uni.createFrom()
          .failure(
              new IllegalStateException(
                  "Redis is not answering: " + backlog.get() + " bytes of publishes wait already"));
    }
    return pubsub
        .publish(channelOf(message), payload)
        .onTermination()
        .invoke(() -> backlog.addAndGet(-cost));
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
    context.runOnContext(
        ignored -> {
          if (state == State.IDLE) {
            this.receiver = receiver;
            subscribe();
          }
        });
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void stop() {
    context.runOnContext(
        ignored -> {
          state = State.STOPPED;
          attempt++;
          connected = false;
          unsubscribe(subscribers);
          subscribers = List.of();
        });
  }

  /** IDLE or WAITING -> SUBSCRIBING: one new attempt. */
  private void subscribe() {
    state = State.SUBSCRIBING;
    long current = ++attempt;
    List<ReactiveRedisSubscriber> made = new ArrayList<>(2);
    Runnable ended = () -> onContext(() -> lost(current, "connection closed"));
    Consumer<Throwable> broken = failure -> onContext(() -> lost(current, failure.toString()));
    Uni<Void> subscribed =
        pubsub
            .subscribe(List.of(config.channel(), gatewayChannel), this::deliver, ended, broken)
            .invoke(made::add)
            .replaceWithVoid();
    if (config.roomChannels()) {
      subscribed =
          subscribed.chain(
              () ->
                  pubsub
                      .subscribeToPatterns(
                          List.of(roomChannelPattern), this::deliverRoomEmit, ended, broken)
                      .invoke(made::add)
                      .replaceWithVoid());
    }
    subscribed
        .subscribe()
        .with(
            ignored -> onContext(() -> subscribed(current, made)),
            failure -> onContext(() -> failed(current, made, failure)));
  }

  /** SUBSCRIBING -> SUBSCRIBED. */
  private void subscribed(long of, List<ReactiveRedisSubscriber> made) {
    if (of != attempt || state != State.SUBSCRIBING) {
      unsubscribe(made);
      return;
    }
    state = State.SUBSCRIBED;
    subscribers = made;
    connected = true;
    nextRetry = FIRST_RETRY;
    Log.infof("subscribed to Redis channel %s", config.channel());
  }

  /** SUBSCRIBING -> WAITING. */
  private void failed(long of, List<ReactiveRedisSubscriber> made, Throwable failure) {
    unsubscribe(made);
    if (of != attempt || state != State.SUBSCRIBING) {
      return;
    }
    Log.debugf("Redis subscription failed: %s", failure.toString());
    waitAndRetry();
  }

  /** SUBSCRIBING or SUBSCRIBED -> WAITING, once per attempt. */
  private void lost(long of, String reason) {
    if (of != attempt || (state != State.SUBSCRIBED && state != State.SUBSCRIBING)) {
      return;
    }
    if (state == State.SUBSCRIBED) {
      Log.warnf("Redis subscription lost (%s); resubscribing", reason);
    }
    connected = false;
    unsubscribe(subscribers);
    subscribers = List.of();
    // A new attempt number: the other subscription of this attempt reports its end too.
    attempt++;
    waitAndRetry();
  }

  private void waitAndRetry() {
    state = State.WAITING;
    long waitingFor = attempt;
    Duration wait = nextRetry;
    Duration doubled = wait.multipliedBy(2);
    nextRetry =
        doubled.compareTo(config.resubscribeBackoff()) > 0 ? config.resubscribeBackoff() : doubled;
    context
        .owner()
        .setTimer(
            wait.toMillis(),
            id ->
                onContext(
                    () -> {
                      if (state == State.WAITING && attempt == waitingFor) {
                        subscribe();
                      }
                    }));
  }

  private void onContext(Runnable transition) {
    context.runOnContext(ignored -> transition.run());
  }

  private static void unsubscribe(List<ReactiveRedisSubscriber> made) {
    for (ReactiveRedisSubscriber subscriber : made) {
      subscriber.unsubscribe().subscribe().with(ignored -> {}, ignored -> {});
    }
  }

  /** Drops room emits for rooms without local members before any JSON is decoded. */
  private void deliverRoomEmit(String channel, String payload) {
    if (!channel.startsWith(roomChannelPrefix)) {
      return;
    }
    String rest = channel.substring(roomChannelPrefix.length());
    int separator = rest.indexOf('#');
    if (separator >= 0
        && receiver.hasLocalMembers(rest.substring(0, separator), rest.substring(separator + 1))) {
      deliver(channel, payload);
    }
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
