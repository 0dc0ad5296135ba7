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
   * Publishes without waiting: a message that cannot be published is logged and dropped, and the
   * local side of the operation has already happened (a failed publish still delivers locally).
   */
  default void publishOrLog(ClusterMessage message) {
    publish(message)
        .subscribe()
        .with(
            ignored -> {},
            failure ->
                Log.warnf(
                    "%s from %s not published to other replicas: %s",
                    message.getClass().getSimpleName(), message.hostId(), failure.toString()));
  }

  /** Starts delivering messages to the receiver, and keeps doing so across reconnects. */
  void start(ClusterReceiver receiver);

  /** Whether the bus is subscribed right now (readiness). */
  boolean isConnected();

  /** Unsubscribes for good. */
  void stop();
}
