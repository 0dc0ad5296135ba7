package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code REDIS_TASK_TTL} as Open WebUI reads it: 0 means no expiry, a value under a minute (other
 * than 0) is taken for a mistake and replaced by 300 s, anything else is used as given.
 */
class TaskTtlTest {

  @ParameterizedTest(name = "REDIS_TASK_TTL={0}s expires after {1}s")
  @CsvSource({
    "0, 0",
    "1, 300",
    "30, 300",
    "59, 300",
    "60, 60",
    "61, 61",
    "300, 300",
    "3600, 3600",
  })
  void effectiveTtlFollowsOpenWebUisRule(long configuredSeconds, long effectiveSeconds) {
    assertThat(tasks(Duration.ofSeconds(configuredSeconds)).effectiveTtl())
        .isEqualTo(Duration.ofSeconds(effectiveSeconds));
  }

  @ParameterizedTest(name = "{0} ms is under a minute: 300 s")
  @CsvSource({"1", "59999"})
  void aFractionOfAMinuteIsUnderAMinuteToo(long configuredMillis) {
    assertThat(tasks(Duration.ofMillis(configuredMillis)).effectiveTtl())
        .isEqualTo(Duration.ofSeconds(300));
  }

  private static GatewayConfig.Tasks tasks(Duration ttl) {
    return new GatewayConfig.Tasks() {
      @Override
      public Duration ttl() {
        return ttl;
      }

      @Override
      public Duration renewInterval() {
        return Duration.ofSeconds(10);
      }

      @Override
      public Duration stopMarkerTtl() {
        return Duration.ofSeconds(60);
      }
    };
  }
}
