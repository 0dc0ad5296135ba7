package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.GatewayProcess.Refusal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged gateway refuses to start on a value it cannot use, and says which variable and what
 * it accepts (issue 12, configuration), as an operator sees it in the pod's log.
 */
class InvalidSettingsIT {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "WEBSOCKET_SERVER_PING_INTERVAL | abc | a duration",
        "WEBSOCKET_SERVER_PING_INTERVAL | 0 | above 0",
        "WEBSOCKET_HEARTBEAT_INTERVAL | soon | a duration",
        "ENABLE_WEBSOCKET_SUPPORT | flase | true or false",
        "UVICORN_WS_PER_MESSAGE_DEFLATE | yes | true or false",
        "GATEWAY_TRANSPORTS | polling,carrier-pigeon | polling, websocket",
        "GATEWAY_COMPLETION_STREAM | deltas | one of snapshot, delta",
        "OPENAI_API_BASE_URL | localhost:11434 | http:// or https:// URL",
        "GATEWAY_LIMITS_ROOMS_PER_SOCKET | -3 | a whole number, above 0",
        "GATEWAY_ENGINE_MAX_QUEUED_BYTES | 4 MB | a size",
        "GATEWAY_LOG_LEVEL | LOUD | one of off,",
      })
  void aWrongValueStopsStartUpNamingTheVariableAndWhatItAccepts(
      String variable, String value, String accepted) {
    Refusal refusal = GatewayProcess.startRefused("invalid-setting", Map.of(variable, value));

    assertThat(refusal.exitCode()).isEqualTo(1);
    assertThat(refusal.output())
        .contains("invalid setting " + variable + "=\"" + value + "\": expected")
        .contains(accepted);
  }

  @Test
  void aWrongRedisUrlNamesOpenWebUisVariable() {
    Refusal refusal =
        GatewayProcess.startRefused(
            "invalid-redis-url",
            Map.of("WEBSOCKET_MANAGER", "redis", "WEBSOCKET_REDIS_URL", "localhost:6379"));

    assertThat(refusal.exitCode()).isEqualTo(1);
    assertThat(refusal.output())
        .contains("invalid setting WEBSOCKET_REDIS_URL (or REDIS_URL)=\"localhost:6379\"");
  }

  @Test
  void everyWrongValueIsListedAtOnce() {
    Refusal refusal =
        GatewayProcess.startRefused(
            "invalid-settings",
            Map.of("WEBSOCKET_SERVER_PING_TIMEOUT", "x", "GATEWAY_TOOLS_MAX_ROUNDS", "many"));

    assertThat(refusal.output())
        .contains("WEBSOCKET_SERVER_PING_TIMEOUT=\"x\"")
        .contains("GATEWAY_TOOLS_MAX_ROUNDS=\"many\"");
  }

  @Test
  void aValidHeartbeatIntervalStarts() {
    try (GatewayProcess gateway =
        GatewayProcess.start(
            "heartbeat-interval",
            Map.of("WEBSOCKET_HEARTBEAT_INTERVAL", "45", "REDIS_TASK_TTL", "0"))) {
      assertThat(gateway.port()).isPositive();
    }
  }
}
