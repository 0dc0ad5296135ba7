package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Every per-client limit small enough for a test to pass it quickly. Requests may name their client
 * address in {@code X-Forwarded-For}, so a test can come from somewhere other than loopback.
 */
public class TightLimitsProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.ofEntries(
        Map.entry("gateway.engine.max-queued-bytes", "256K"),
        Map.entry("gateway.limits.connections-per-user", "2"),
        Map.entry("gateway.limits.rooms-per-socket", "5"),
        Map.entry("gateway.limits.pending-calls-per-socket", "2"),
        Map.entry("gateway.limits.max-event-name-length", "13"),
        Map.entry("gateway.limits.max-room-name-length", "32"),
        Map.entry("gateway.limits.handshakes-per-second", "3"),
        Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
        Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"));
  }
}
