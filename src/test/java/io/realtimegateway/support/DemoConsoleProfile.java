package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Demo mode on, an API key set, and client addresses taken from {@code X-Forwarded-For}, so a test
 * can speak from an address that is not loopback. The echo model is slow enough that a browser test
 * can watch a reply stream and stop it half way.
 */
public class DemoConsoleProfile implements QuarkusTestProfile {

  /** The {@code GATEWAY_API_KEY} of this profile. */
  public static final String API_KEY = "console-test-key";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "gateway.demo.enabled", "true",
        "gateway.api.api-key", API_KEY,
        "gateway.completion.echo-word-interval", "150ms",
        "quarkus.http.proxy.proxy-address-forwarding", "true",
        "quarkus.http.proxy.allow-x-forwarded", "true");
  }
}
