package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each sort of setting accepts, read from GatewayConfig itself. */
class SettingTest {

  private static Setting setting(String property) {
    return Setting.of(property).orElseThrow(() -> new AssertionError("no setting " + property));
  }

  @ParameterizedTest(name = "{0} = \"{1}\" accepted: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gateway.engine.ping-interval | 25 | true",
        "gateway.engine.ping-interval | 25s | true",
        "gateway.engine.ping-interval | 500ms | true",
        "gateway.engine.ping-interval | PT25S | true",
        "gateway.engine.ping-interval | abc | false",
        "gateway.engine.ping-interval | 0 | false",
        "gateway.engine.ping-interval | -5s | false",
        "gateway.engine.ping-interval | 25 seconds | false",
        "gateway.tasks.ttl | 0 | true",
        "gateway.tasks.ttl | -1 | false",
        "gateway.limits.rooms-per-socket | 1000 | true",
        "gateway.limits.rooms-per-socket | 0 | false",
        "gateway.limits.rooms-per-socket | -3 | false",
        "gateway.limits.rooms-per-socket | 1e3 | false",
        "gateway.limits.rooms-per-socket | 99999999999 | true",
        "gateway.limits.handshakes-per-second | 0 | true",
        "gateway.engine.max-queued-bytes | 4M | true",
        "gateway.engine.max-queued-bytes | 4096 | true",
        "gateway.engine.max-queued-bytes | 4 MB | false",
        "gateway.engine.max-queued-bytes | 0 | false",
        "gateway.engine.enable-websocket-support | false | true",
        "gateway.engine.enable-websocket-support | TRUE | true",
        "gateway.engine.enable-websocket-support | flase | false",
        "gateway.engine.enable-websocket-support | 1 | false",
        "gateway.engine.transports | polling | true",
        "gateway.engine.transports | websocket, Polling | true",
        "gateway.engine.transports | polling,carrier-pigeon | false",
        "gateway.completion.stream | delta | true",
        "gateway.completion.stream | SNAPSHOT | true",
        "gateway.completion.stream | deltas | false",
        "gateway.completion.openai-api-base-url | http://localhost:11434/v1 | true",
        "gateway.completion.openai-api-base-url | localhost:11434 | false",
        "gateway.completion.openai-api-base-url | ftp://models/v1 | false",
        "gateway.auth.open-webui-base-url | https://open-webui.example.com | true",
        "gateway.cluster.key-prefix | anything at all | true",
        "quarkus.http.port | 8080 | true",
        "quarkus.http.port | http | false",
        "quarkus.redis.hosts | redis://redis:6379/0 | true",
        "quarkus.redis.hosts | rediss://a:6380,rediss://b:6380 | true",
        "quarkus.redis.hosts | redis:6379 | false",
        "quarkus.websockets-next.server.per-message-compression-supported | false | true",
        "quarkus.websockets-next.server.per-message-compression-supported | yes | false",
      })
  void acceptsWhatItsKindAccepts(String property, String value, boolean accepted) {
    assertThat(setting(property).problem(value).isEmpty()).isEqualTo(accepted);
  }

  @Test
  void aRefusalSaysWhatIsAccepted() {
    assertThat(setting("gateway.completion.stream").problem("deltas"))
        .contains("expected one of snapshot, delta");
    assertThat(setting("gateway.engine.ping-interval").problem("0"))
        .hasValueSatisfying(problem -> assertThat(problem).contains("duration", "above 0"));
    assertThat(setting("gateway.tasks.ttl").problem("-1"))
        .hasValueSatisfying(problem -> assertThat(problem).contains("0 or more"));
  }

  @Test
  void readsEveryKeyOfTheMappingWithItsDefault() {
    assertThat(setting("gateway.engine.ping-interval").defaultValue()).contains("25s");
    assertThat(setting("gateway.engine.ping-interval").kind()).isEqualTo(Setting.Kind.DURATION);
    assertThat(setting("gateway.jobs.heartbeat-interval").defaultValue()).isEmpty();
    assertThat(setting("gateway.drain.spread").zeroAllowed()).isTrue();
    assertThat(Setting.of("gateway.cluster.redis")).as("a default method is no key").isEmpty();
    assertThat(Setting.of("gateway.engine")).as("a group is no key").isEmpty();
    assertThat(setting("gateway.engine.max-payload").environmentName())
        .isEqualTo("GATEWAY_ENGINE_MAX_PAYLOAD");
  }

  @Test
  void everyGroupOfTheMappingIsRegisteredForReflectionInTheNativeExecutable() {
    List<Class<?>> registered =
        Arrays.asList(Setting.class.getAnnotation(RegisterForReflection.class).targets());
    assertThat(registered).contains(GatewayConfig.class);
    assertThat(registered)
        .containsAll(
            Arrays.asList(GatewayConfig.class.getDeclaredClasses()).stream()
                .filter(Class::isInterface)
                .toList());
  }

  @ParameterizedTest(name = "heartbeat {0}, session timeout {1} -> reaped after {2}")
  @CsvSource({
    "'', 120s, 120s",
    "10s, 120s, 120s",
    "60s, 120s, 240s",
    "2s, 120s, 120s",
    "1s, 10s, 20s",
    "300s, 120s, 360s",
  })
  void aHeartbeatIntervalKeepsSessionsForFourHeartbeatsClampedAsOpenWebUiDoes(
      String heartbeat, String sessionTimeout, String reapedAfter) {
    GatewayConfig.Jobs jobs =
        new GatewayConfig.Jobs() {
          @Override
          public Duration usageCleanupInterval() {
            return Duration.ofSeconds(3);
          }

          @Override
          public Duration usageIdleTimeout() {
            return Duration.ofSeconds(3);
          }

          @Override
          public Duration sessionReapInterval() {
            return Duration.ofSeconds(120);
          }

          @Override
          public Duration sessionTimeout() {
            return Duration.parse("PT" + sessionTimeout.toUpperCase());
          }

          @Override
          public Optional<Duration> heartbeatInterval() {
            return heartbeat.isEmpty()
                ? Optional.empty()
                : Optional.of(Duration.parse("PT" + heartbeat.toUpperCase()));
          }
        };
    assertThat(jobs.effectiveSessionTimeout())
        .isEqualTo(Duration.parse("PT" + reapedAfter.toUpperCase()));
  }
}
