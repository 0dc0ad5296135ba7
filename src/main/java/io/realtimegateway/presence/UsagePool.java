package io.realtimegateway.presence;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/** Open WebUI's {@code USAGE_POOL}: model id to the sids using it, each with {@code updated_at}. */
public interface UsagePool {

  /** Records that {@code sid} uses {@code model} now. */
  Uni<Void> update(String model, String sid, long nowSeconds);

  /** Removes a sid from every model (disconnect); models left without sids are removed. */
  Uni<Void> removeSession(String sid);

  /** Models in use. */
  Uni<Set<String>> modelIds();

  /** Drops sids not updated since {@code cutoffSeconds}; returns how many were dropped. */
  Uni<Integer> removeUpdatedBefore(long cutoffSeconds);
}
