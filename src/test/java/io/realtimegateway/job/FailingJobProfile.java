package io.realtimegateway.job;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** Swaps in a usage pool whose cleanup fails, with the cleaner running every 200 ms. */
public class FailingJobProfile implements QuarkusTestProfile {

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FailingUsagePool.class);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("gateway.jobs.usage-cleanup-interval", "200ms");
  }
}
