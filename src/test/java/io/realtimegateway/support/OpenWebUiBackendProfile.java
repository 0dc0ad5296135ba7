package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Points the gateway at {@link FakeOpenWebUi}. */
public class OpenWebUiBackendProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("gateway.auth.open-webui-base-url", FakeOpenWebUi.instance().baseUrl());
  }
}
