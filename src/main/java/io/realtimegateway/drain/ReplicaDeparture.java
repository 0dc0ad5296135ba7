package io.realtimegateway.drain;

import io.smallrye.mutiny.Uni;

/**
 * How a draining replica leaves the state it shares with the others (Redis mode): whatever the
 * shared pools and registries still list of it, and its liveness, so that nobody waits for it to
 * expire. Memory mode shares nothing.
 */
public interface ReplicaDeparture {

  /** Removes this replica from the shared state, for good: it writes nothing there afterwards. */
  Uni<Void> depart();

  /** Memory mode. */
  ReplicaDeparture NONE = () -> Uni.createFrom().voidItem();
}
