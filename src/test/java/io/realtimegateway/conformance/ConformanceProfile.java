package io.realtimegateway.conformance;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the application in its {@code conformance} configuration profile. */
public class ConformanceProfile implements QuarkusTestProfile {

  @Override
  public String getConfigProfile() {
    return "conformance";
  }
}
