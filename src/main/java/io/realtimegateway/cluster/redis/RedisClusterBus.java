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
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * python-socketio's Redis manager transport. Publishes on {@code socketio}, or on {@code
 * socketio#<namespace>#<room>} for a single-room emit when room channels are on. Subscribes with a
 * {@link RedisSubscription}, which comes back after any connection loss.
 *
 * <p>Publishes leave in the order they were made, on one connection of their own that the bus keeps
 * (taking a pooled connection per batch cost a pool round trip and a context hop each time). Every
 * publish made during one turn of the bus's event loop goes out in one write (coalesced per tick),
 * and the next write does not wait for the answers to the previous one (pipelined): Redis answers a
 * connection's commands in order, so two emits a backend made in turn reach another replica's
 * client in that order. At most {@value #MAX_IN_FLIGHT} publishes wait for their answers (the
 * client's queue of pending answers is bounded); the rest wait their turn here, inside the backlog
 * bound. A lost connection fails what it carried and is replaced by the next publish.
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

  /** Most publishes in one write: a long queue goes out in several writes, not one huge buffer. */
  private static final int MAX_BATCH = 512;

  /**
   * Most publishes sent and not answered yet; below the Redis client's default of 2048 pending
   * answers per connection ({@code quarkus.redis.max-waiting-handlers}), past which it refuses.
   */
  static final int MAX_IN_FLIGHT = 1024;

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

  /** Publishes made since the last flush, from any thread. */
  private final Queue<Publish> made = new ConcurrentLinkedQueue<>();

  /** Whether a flush is scheduled on the context. */
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  // On the context only: the publishing connection and what waits for it.
  private final ArrayDeque<Publish> unsent = new ArrayDeque<>();
  private RedisConnection connection;
  private boolean connecting;
  private boolean sending;
  private boolean stopped;
  private int inFlight;

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
    this.redis = redis.getRedis().getDelegate();
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
   * error) would otherwise hold every emit in memory.
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
        .emitter(
            emitter -> {
              made.add(new Publish(channel, payload, cost, emitter));
              if (flushScheduled.compareAndSet(false, true)) {
                context.runOnContext(ignored -> flush());
              }
            });
  }

  /** One publish and whom to tell once Redis answered it. */
  private record Publish(
      String channel, String payload, long cost, UniEmitter<? super Void> answered) {}

  /** On the context, after the turn of the loop that made the publishes. */
  private void flush() {
    // Cleared first: a publish made from here on schedules the next flush.
    flushScheduled.set(false);
    for (Publish publish = made.poll(); publish != null; publish = made.poll()) {
      unsent.add(publish);
    }
    send();
  }

  /** On the context: writes what waits, as far as the in-flight bound allows. */
  private void send() {
    if (sending || unsent.isEmpty()) {
      return;
    }
    if (stopped) {
      failAll(new IllegalStateException("the cluster bus is stopped"));
      return;
    }
    if (connection == null) {
      connect();
      return;
    }
    sending = true;
    try {
      while (!unsent.isEmpty() && inFlight < MAX_IN_FLIGHT && connection != null) {
        int size = Math.min(unsent.size(), Math.min(MAX_BATCH, MAX_IN_FLIGHT - inFlight));
        List<Publish> batch = new ArrayList<>(size);
        List<Request> commands = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          Publish publish = unsent.poll();
          batch.add(publish);
          commands.add(Request.cmd(Command.PUBLISH).arg(publish.channel()).arg(publish.payload()));
        }
        inFlight += size;
        RedisConnection on = connection;
        on.batch(commands).onComplete(answers -> answered(on, batch, answers.cause()));
      }
    } finally {
      sending = false;
    }
  }

  private void connect() {
    if (connecting) {
      return;
    }
    connecting = true;
    redis
        .connect()
        .onComplete(
            attempt -> {
              connecting = false;
              if (attempt.failed()) {
                failAll(attempt.cause());
                return;
              }
              RedisConnection connected = attempt.result();
              if (stopped) {
                connected.close();
                failAll(new IllegalStateException("the cluster bus is stopped"));
                return;
              }
              connected.exceptionHandler(failure -> lost(connected));
              connected.endHandler(ignored -> lost(connected));
              connection = connected;
              send();
            });
  }

  /**
   * A write failed or the connection closed: its pending answers fail by themselves (the client
   * fails them), and the next publish connects again.
   */
  private void lost(RedisConnection lost) {
    if (connection == lost) {
      connection = null;
      lost.close();
    }
  }

  private void failAll(Throwable failure) {
    List<Publish> failed = new ArrayList<>(unsent);
    unsent.clear();
    if (!failed.isEmpty()) {
      answered(null, failed, failure);
    }
  }

  private void answered(RedisConnection on, List<Publish> batch, Throwable failure) {
    if (on != null) {
      inFlight -= batch.size();
    }
    (failure == null ? published : publishErrors).increment(batch.size());
    for (Publish publish : batch) {
      backlog.addAndGet(-publish.cost());
      if (failure == null) {
        publish.answered().complete(null);
      } else {
        publish.answered().fail(failure);
      }
    }
    if (on != null) {
      send();
    }
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
    context.runOnContext(
        ignored -> {
          stopped = true;
          if (connection != null) {
            connection.close();
            connection = null;
          }
        });
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
