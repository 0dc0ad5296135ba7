package io.realtimegateway.console;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The gateway replicas the console lists: this one alone in memory mode, the fleet with Redis. */
public interface Replicas {

  /**
   * One replica.
   *
   * @param id its host id
   * @param self whether it is the replica answering
   * @param alive whether its liveness key exists (a dead one is listed until a survivor sweeps it)
   * @param lastHeartbeat when it last renewed its liveness key, if known
   */
  record Replica(String id, boolean self, boolean alive, Optional<Instant> lastHeartbeat) {}

  /** Every replica known, this one included. */
  Uni<List<Replica>> replicas();
}
