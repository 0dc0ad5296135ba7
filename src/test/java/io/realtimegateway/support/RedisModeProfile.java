package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Redis mode against a {@link RedisModeResource}, with replica and task timings shortened. */
public class RedisModeProfile implements QuarkusTestProfile {

  /** The key prefix, so tests name keys as Open WebUI does. */
  public static final String PREFIX = "open-webui";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "gateway.cluster.key-prefix", PREFIX,
        "gateway.cluster.node-heartbeat", "1s",
        "gateway.cluster.node-ttl", "2s",
        "gateway.tasks.renew-interval", "1s",
        "gateway.tasks.ttl", "60s");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(RedisModeResource.class));
  }
}
