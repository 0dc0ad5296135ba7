package io.realtimegateway.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Redis subscription that comes back: subscribe at start, resubscribe after any connection loss,
 * unsubscribe at stop. Every Redis subscriber of the gateway is one of these.
 *
 * <p>One state machine, every transition on one Vert.x context, so no two transitions interleave:
 * {@code IDLE -> SUBSCRIBING -> SUBSCRIBED}; a failed attempt or a lost connection goes to {@code
 * WAITING} and, after a back-off from 100 ms doubling up to {@code maxBackoff}, to {@code
 * SUBSCRIBING} again; {@code stop} goes to {@code STOPPED} for good. Each attempt has a number, and
 * an event of an older attempt (a late failure, the end of a connection already replaced) changes
 * nothing, so there is never more than one live subscription. Subscriptions use connections of
 * their own, never shared with commands.
 *
 * <p>Metrics, tag {@code subscription}: {@code gateway.redis.subscribed} (1 while subscribed),
 * {@code gateway.redis.resubscriptions} (subscribed again after a loss) and {@code
 * gateway.redis.subscription.errors} (lost connections and failed attempts).
 */
public final class RedisSubscription {

  private static final Duration FIRST_RETRY = Duration.ofMillis(100);

  /**
   * What to subscribe to.
   *
   * @param names channel names, or patterns when {@code patterns}
   * @param patterns whether {@code names} are patterns ({@code PSUBSCRIBE})
   * @param onMessage called with the channel and the payload of each message
   */
  public record Topic(List<String> names, boolean patterns, BiConsumer<String, String> onMessage) {

    public Topic {
      names = List.copyOf(names);
    }
  }

  private enum State {
    IDLE,
    SUBSCRIBING,
    SUBSCRIBED,
    WAITING,
    STOPPED
  }

  private final ReactivePubSubCommands<String> pubsub;
  private final Context context;
  private final Duration maxBackoff;
  private final String name;
  private final List<Topic> topics;
  private final Runnable onSubscribed;
  private final Counter resubscriptions;
  private final Counter errors;

  // State of the machine: on the context only.
  private State state = State.IDLE;
  private long attempt;
  private List<ReactiveRedisSubscriber> subscribers = List.of();
  private Duration nextRetry = FIRST_RETRY;
  private boolean everSubscribed;

  /** Whether subscribed, for readiness; written on the context. */
  private volatile boolean subscribed;

  /**
   * @param name what the subscription is for, in log lines
   * @param meterTag the {@code subscription} tag of its metrics: a fixed name, one per subscriber
   * @param onSubscribed run on the context after each successful (re)subscription: what was
   *     published while unsubscribed is lost, so a subscriber catches up here
   */
  public RedisSubscription(
      ReactivePubSubCommands<String> pubsub,
      Context context,
      Duration maxBackoff,
      String name,
      List<Topic> topics,
      Runnable onSubscribed,
      MeterRegistry meters,
      String meterTag) {
    this.pubsub = pubsub;
    this.context = context;
    this.maxBackoff = maxBackoff;
    this.name = name;
    this.topics = List.copyOf(topics);
    this.onSubscribed = onSubscribed;
    Gauge.builder("gateway.redis.subscribed", this, current -> current.subscribed ? 1 : 0)
        .description("1 while this Redis subscription is subscribed")
        .tag("subscription", meterTag)
        .strongReference(true)
        .register(meters);
    this.resubscriptions =
        Counter.builder("gateway.redis.resubscriptions")
            .description("Times this Redis subscription came back after a loss")
            .tag("subscription", meterTag)
            .register(meters);
    this.errors =
        Counter.builder("gateway.redis.subscription.errors")
            .description("Lost connections and failed attempts of this Redis subscription")
            .tag("subscription", meterTag)
            .register(meters);
  }

  /** Subscribes; does nothing when already started. */
  public void start() {
    onContext(
        () -> {
          if (state == State.IDLE) {
            subscribe();
          }
        });
  }

  /** Unsubscribes for good. */
  public void stop() {
    onContext(
        () -> {
          state = State.STOPPED;
          attempt++;
          subscribed = false;
          unsubscribe(subscribers);
          subscribers = List.of();
        });
  }

  /** Whether every topic is subscribed right now. */
  public boolean isSubscribed() {
    return subscribed;
  }

  /** IDLE or WAITING -> SUBSCRIBING: one new attempt. */
  private void subscribe() {
    state = State.SUBSCRIBING;
    long current = ++attempt;
    List<ReactiveRedisSubscriber> made = new ArrayList<>(topics.size());
    Runnable ended = () -> onContext(() -> lost(current, "connection closed"));
    Consumer<Throwable> broken = failure -> onContext(() -> lost(current, failure.toString()));
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Topic topic : topics) {
      chain =
          chain.chain(
              () ->
                  (topic.patterns()
                          ? pubsub.subscribeToPatterns(
                              topic.names(), topic.onMessage(), ended, broken)
                          : pubsub.subscribe(topic.names(), topic.onMessage(), ended, broken))
                      .invoke(made::add)
                      .replaceWithVoid());
    }
    chain
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
    subscribed = true;
    nextRetry = FIRST_RETRY;
    if (everSubscribed) {
      resubscriptions.increment();
    }
    everSubscribed = true;
    Log.infof("subscribed to Redis for %s", name);
    try {
      onSubscribed.run();
    } catch (RuntimeException e) {
      Log.warnf(e, "catching up after subscribing for %s failed", name);
    }
  }

  /** SUBSCRIBING -> WAITING. */
  private void failed(long of, List<ReactiveRedisSubscriber> made, Throwable failure) {
    unsubscribe(made);
    if (of != attempt || state != State.SUBSCRIBING) {
      return;
    }
    Log.debugf("Redis subscription for %s failed: %s", name, failure.toString());
    errors.increment();
    waitAndRetry();
  }

  /** SUBSCRIBING or SUBSCRIBED -> WAITING, once per attempt. */
  private void lost(long of, String reason) {
    if (of != attempt || (state != State.SUBSCRIBED && state != State.SUBSCRIBING)) {
      return;
    }
    if (state == State.SUBSCRIBED) {
      Log.warnf("Redis subscription for %s lost (%s); resubscribing", name, reason);
    }
    errors.increment();
    subscribed = false;
    unsubscribe(subscribers);
    subscribers = List.of();
    // A new attempt number: the other subscriptions of this attempt report their end too.
    attempt++;
    waitAndRetry();
  }

  private void waitAndRetry() {
    state = State.WAITING;
    long waitingFor = attempt;
    Duration wait = nextRetry;
    Duration doubled = wait.multipliedBy(2);
    nextRetry = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
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
}
