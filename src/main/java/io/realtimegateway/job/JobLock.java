package io.realtimegateway.job;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/** Decides which replica runs a once-per-cluster job. */
public interface JobLock {

  /**
   * Takes the lock, or renews it when this replica already holds it.
   *
   * @param ttl how long the lock outlives this call if it is not renewed
   * @return whether this replica holds the lock now
   */
  Uni<Boolean> hold(String name, Duration ttl);

  /** A single process always holds every lock. */
  JobLock ALWAYS = (name, ttl) -> Uni.createFrom().item(true);
}
