package io.realtimegateway.cluster;

import io.smallrye.mutiny.Uni;

/**
 * How replicas reach each other (the broker SPI): Redis pub/sub in production, an in-memory bus in
 * tests. A bus delivers other hosts' messages to its receiver and reconnects by itself.
 */
public interface ClusterBus {

  /** Publishes a message; fails when it could not be handed to the broker. */
  Uni<Void> publish(ClusterMessage message);

  /** Starts delivering messages to the receiver, and keeps doing so across reconnects. */
  void start(ClusterReceiver receiver);

  /** Whether the bus is subscribed right now (readiness). */
  boolean isConnected();

  /** Unsubscribes for good. */
  void stop();
}
