package io.realtimegateway.cluster.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.realtimegateway.cluster.ClusterBus;
import io.realtimegateway.cluster.ClusterMessage;
import io.realtimegateway.cluster.ClusterProtocolException;
import io.realtimegateway.cluster.ClusterReceiver;
import io.realtimegateway.cluster.PythonManagerCodec;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.RedisSubscription;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * python-socketio's Redis manager transport. Publishes on {@code socketio}, or on {@code
 * socketio#<namespace>#<room>} for a single-room emit when room channels are on. Subscribes with a
 * {@link RedisSubscription}, which comes back after any connection loss.
 *
 * <p>Publishes leave in the order they were made: one batch at a time, pipelined on one connection,
 * holding every publish made while the previous batch was out. Publishes sent one by one through
 * the connection pool could overtake each other, and two emits a backend made in turn would reach
 * another replica's client in the wrong order.
 *
 * <p>Metrics: {@code gateway.redis.publishes} (publishes Redis answered), {@code
 * gateway.redis.publish.errors} with {@code reason} {@code error} (Redis failed the batch) or
 * {@code backlog} (refused: too much waiting for Redis already), and the subscription's.
 */
@Singleton
public final class RedisClusterBus implements ClusterBus {

  /**
   * What a publish waiting for Redis holds besides its payload (command, buffers, callbacks),
   * measured with a frozen Redis: about 3.4 KiB for a 1 KiB payload.
   */
  private static final int PUBLISH_OVERHEAD = 4096;

  /** Most publishes in one batch: a long queue drains in several round trips, not one huge one. */
  private static final int MAX_BATCH = 512;

  private final ReactivePubSubCommands<String> pubsub;
  private final Redis redis;
  private final PythonManagerCodec codec;
  private final GatewayConfig.Cluster config;
  private final Context context;
  private final String roomChannelPattern;
  private final String roomChannelPrefix;
  private final String gatewayChannel;
  private final long maxBacklog;
  private final MeterRegistry meters;
  private final Counter published;
  private final Counter publishErrors;
  private final Counter backlogRefusals;

  /** Estimated bytes of publishes Redis has not answered yet. */
  private final AtomicLong backlog = new AtomicLong();

  /** Publishes waiting for the batch in flight to be answered; guarded by itself. */
  private final ArrayDeque<Publish> waiting = new ArrayDeque<>();

  /** Whether a batch is out; guarded by {@link #waiting}. */
  private boolean sending;

  /** Set once by {@link #start}, before the subscription delivers anything. */
  private volatile ClusterReceiver receiver;

  private volatile RedisSubscription subscription;

  public RedisClusterBus(
      @SharedRedis ReactiveRedisDataSource redis,
      PythonManagerCodec codec,
      GatewayConfig config,
      Vertx vertx,
      MeterRegistry meters) {
    this.pubsub = redis.pubsub(String.class);
    this.redis = redis.getRedis();
    this.codec = codec;
    this.config = config.cluster();
    this.context = vertx.getOrCreateContext();
    this.roomChannelPrefix = this.config.channel() + "#";
    this.roomChannelPattern = roomChannelPrefix + "*";
    // Not under "socketio#", so Open WebUI's pattern subscription never sees it.
    this.gatewayChannel = this.config.channel() + ":gateway";
    this.maxBacklog = this.config.maxPublishBacklog().asLongValue();
    this.meters = meters;
    this.published =
        Counter.builder("gateway.redis.publishes")
            .description("Publishes to other replicas that Redis answered")
            .register(meters);
    this.publishErrors = publishErrors(meters, "error");
    this.backlogRefusals = publishErrors(meters, "backlog");
  }

  private static Counter publishErrors(MeterRegistry meters, String reason) {
    return Counter.builder("gateway.redis.publish.errors")
        .description("Publishes to other replicas that failed, by reason (error, backlog)")
        .tag("reason", reason)
        .register(meters);
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
      backlogRefusals.increment();
      return Uni.createFrom()
          .failure(
              new IllegalStateException(
                  "Redis is not answering: " + backlog.get() + " bytes of publishes wait already"));
    }
    String channel = channelOf(message);
    return Uni.createFrom()
        .emitter(emitter -> enqueue(new Publish(channel, payload, cost, emitter)));
  }

  /** One publish and whom to tell once Redis answered it. */
  private record Publish(
      String channel, String payload, long cost, UniEmitter<? super Void> answered) {}

  private void enqueue(Publish publish) {
    List<Publish> batch;
    synchronized (waiting) {
      waiting.add(publish);
      if (sending) {
        return;
      }
      sending = true;
      batch = takeBatch();
    }
    send(batch);
  }

  /** Called holding {@link #waiting}. */
  private List<Publish> takeBatch() {
    List<Publish> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  private void send(List<Publish> batch) {
    List<Request> commands = new ArrayList<>(batch.size());
    for (Publish publish : batch) {
      commands.add(Request.cmd(Command.PUBLISH).arg(publish.channel()).arg(publish.payload()));
    }
    redis
        .batch(commands)
        .subscribe()
        .with(answers -> answered(batch, null), failure -> answered(batch, failure));
  }

  private void answered(List<Publish> batch, Throwable failure) {
    (failure == null ? published : publishErrors).increment(batch.size());
    for (Publish publish : batch) {
      backlog.addAndGet(-publish.cost());
      if (failure == null) {
        publish.answered().complete(null);
      } else {
        publish.answered().fail(failure);
      }
    }
    List<Publish> next;
    synchronized (waiting) {
      if (waiting.isEmpty()) {
        sending = false;
        return;
      }
      next = takeBatch();
    }
    send(next);
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
  public synchronized void start(ClusterReceiver receiver) {
    if (subscription != null) {
      return;
    }
    this.receiver = receiver;
    List<RedisSubscription.Topic> topics = new ArrayList<>(2);
    topics.add(
        new RedisSubscription.Topic(
            List.of(config.channel(), gatewayChannel), false, this::deliver));
    if (config.roomChannels()) {
      topics.add(
          new RedisSubscription.Topic(List.of(roomChannelPattern), true, this::deliverRoomEmit));
    }
    subscription =
        new RedisSubscription(
            pubsub,
            context,
            config.resubscribeBackoff(),
            "channel " + config.channel(),
            topics,
            () -> {},
            meters,
            "manager");
    subscription.start();
  }

  @Override
  public boolean isConnected() {
    RedisSubscription current = subscription;
    return current != null && current.isSubscribed();
  }

  @Override
  public void stop() {
    RedisSubscription current = subscription;
    if (current != null) {
      current.stop();
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
