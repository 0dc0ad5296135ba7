package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Heartbeat, connect and upgrade timeouts and cleanup jobs in fractions of their production values.
 */
public class ShortTimingsProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "gateway.engine.ping-interval", "400ms",
        "gateway.engine.ping-timeout", "300ms",
        "gateway.engine.connect-timeout", "1s",
        "gateway.engine.upgrade-timeout", "1s",
        "gateway.engine.cors-allow-origin", "https://chat.example;https://admin.example",
        "gateway.jobs.usage-cleanup-interval", "1s",
        "gateway.jobs.usage-idle-timeout", "1s",
        "gateway.jobs.session-reap-interval", "1s",
        "gateway.jobs.session-timeout", "3s");
  }
}
