package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Open WebUI 0.11.4's {@code response:completion} deltas ({@code GATEWAY_COMPLETION_STREAM=delta})
 * with the echo model, and a model server that cannot be reached: a loopback port nobody listens
 * on.
 */
public class DeltaStreamProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "gateway.completion.stream", "delta",
        "gateway.completion.openai-api-base-url", "http://127.0.0.1:" + closedPort() + "/v1",
        "gateway.completion.echo-word-interval", "20ms",
        "gateway.completion.connect-timeout", "2s");
  }

  /** A port that was free a moment ago and that nothing listens on. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
