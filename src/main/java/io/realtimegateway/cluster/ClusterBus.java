package io.realtimegateway.cluster;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * How replicas reach each other (the broker SPI): Redis pub/sub in production, an in-memory bus in
 * tests. A bus delivers other hosts' messages to its receiver and reconnects by itself.
 */
public interface ClusterBus {

  /** Publishes a message; fails when it could not be handed to the broker. */
  Uni<Void> publish(ClusterMessage message);

  /**
   * Publishes without waiting: a message that cannot be published is dropped, and the local side of
   * the operation has already happened (a failed publish still delivers locally). Failures are
   * logged at a bounded rate ({@link PublishFailures}): while Redis is away every emit fails.
   */
  default void publishOrLog(ClusterMessage message) {
    PublishFailures failures = PublishFailures.OF_THIS_REPLICA;
    publish(message)
        .subscribe()
        .with(
            ignored -> {
              long unlogged = failures.succeeded();
              if (unlogged >= 0) {
                Log.infof(
                    "publishing to other replicas works again (%d failed publishes not logged)",
                    unlogged);
              }
            },
            failure -> {
              long unlogged = failures.failed();
              if (unlogged == 0) {
                Log.warnf(
                    "%s from %s not published to other replicas: %s",
                    message.getClass().getSimpleName(), message.hostId(), failure.toString());
              } else if (unlogged > 0) {
                Log.warnf(
                    "%s from %s not published to other replicas: %s (and %d more since the last"
                        + " warning; one warning per %d s at most)",
                    message.getClass().getSimpleName(),
                    message.hostId(),
                    failure.toString(),
                    unlogged,
                    PublishFailures.INTERVAL.toSeconds());
              }
            });
  }

  /** Starts delivering messages to the receiver, and keeps doing so across reconnects. */
  void start(ClusterReceiver receiver);

  /** Whether the bus is subscribed right now (readiness). */
  boolean isConnected();

  /** Unsubscribes for good. */
  void stop();
}
