package io.realtimegateway.presence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The usage pool of a single gateway process. */
@Singleton
@Typed(InMemoryUsagePool.class)
public class InMemoryUsagePool implements UsagePool {

  /** model id -> sid -> updated_at (unix seconds). */
  private final Map<String, Map<String, Long>> usage = new ConcurrentHashMap<>();

  @Override
  public Uni<Void> update(String model, String sid, long nowSeconds) {
    usage.compute(
        model,
        (key, sids) -> {
          Map<String, Long> entry = sids == null ? new ConcurrentHashMap<>() : sids;
          entry.put(sid, nowSeconds);
          return entry;
        });
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Void> removeSession(String sid) {
    for (String model : usage.keySet()) {
      usage.computeIfPresent(
          model,
          (key, sids) -> {
            sids.remove(sid);
            return sids.isEmpty() ? null : sids;
          });
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Set<String>> modelIds() {
    return Uni.createFrom().item(Set.copyOf(usage.keySet()));
  }

  @Override
  public Uni<Integer> removeUpdatedBefore(long cutoffSeconds) {
    AtomicInteger removed = new AtomicInteger();
    for (String model : usage.keySet()) {
      usage.computeIfPresent(
          model,
          (key, sids) -> {
            sids.entrySet()
                .removeIf(
                    entry -> {
                      boolean idle = entry.getValue() < cutoffSeconds;
                      if (idle) {
                        removed.incrementAndGet();
                      }
                      return idle;
                    });
            return sids.isEmpty() ? null : sids;
          });
    }
    return Uni.createFrom().item(removed.get());
  }
}
