package io.realtimegateway.job;

import io.realtimegateway.presence.InMemoryUsagePool;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A usage pool whose cleanup fails every time, synchronously or asynchronously by turns. Enabled
 * only by {@link FailingJobProfile}: a {@code @Priority} would enable it in every test.
 */
@Alternative
@ApplicationScoped
public class FailingUsagePool extends InMemoryUsagePool {

  private final AtomicInteger cleanupAttempts = new AtomicInteger();

  int cleanupAttempts() {
    return cleanupAttempts.get();
  }

  @Override
  public Uni<Integer> removeUpdatedBefore(long cutoffSeconds) {
    if (cleanupAttempts.incrementAndGet() % 2 == 0) {
      throw new IllegalStateException("pool unavailable (thrown)");
    }
    return Uni.createFrom().failure(new IllegalStateException("pool unavailable (failed Uni)"));
  }
}
