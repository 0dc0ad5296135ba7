package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Points the gateway at the shared {@link FakeModelServer}, with a key, a short idle timeout (a
 * silent stream fails within seconds) and no reuse of the model list.
 */
public class ModelServerProfile implements QuarkusTestProfile {

  /** The model server of every test in this profile. */
  public static final FakeModelServer SERVER = FakeModelServer.start();

  /** The key the gateway sends to the model server. */
  public static final String API_KEY = "sk-test-key";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "gateway.completion.openai-api-base-url",
        SERVER.baseUrl(),
        "gateway.completion.openai-api-key",
        API_KEY,
        "gateway.completion.idle-timeout",
        "2s",
        "gateway.completion.models-cache-ttl",
        "0s");
  }
}
