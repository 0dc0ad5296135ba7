package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Open WebUI's Redis environment variables, as a deployment already sets them. */
class OpenWebUiRedisConfigSourceTest {

  private static Map<String, String> quarkus(Map<String, String> environment) {
    return OpenWebUiRedisConfigSource.map(environment::get);
  }

  @Test
  void mapsNothingWithoutRedisVariables() {
    assertThat(quarkus(Map.of())).isEmpty();
    assertThat(quarkus(Map.of("WEBUI_SECRET_KEY", "secret", "PORT", "8080"))).isEmpty();
  }

  @Test
  void ignoresBlankRedisVariables() {
    assertThat(quarkus(Map.of("REDIS_URL", "", "WEBSOCKET_SENTINEL_HOSTS", " "))).isEmpty();
  }

  @Test
  void usesRedisUrlAsTheServer() {
    assertThat(quarkus(Map.of("REDIS_URL", "redis://redis:6379/0")))
        .containsExactly(Map.entry("quarkus.redis.hosts", "redis://redis:6379/0"));
  }

  @Test
  void keepsCredentialsAndDatabaseOfASingleServer() {
    assertThat(quarkus(Map.of("REDIS_URL", "rediss://user:p%40ss@redis.example.com:6380/3")))
        .containsExactly(
            Map.entry("quarkus.redis.hosts", "rediss://user:p%40ss@redis.example.com:6380/3"));
  }

  @Test
  void prefersWebsocketRedisUrlOverRedisUrl() {
    assertThat(
            quarkus(
                Map.of(
                    "REDIS_URL", "redis://app-redis:6379/0",
                    "WEBSOCKET_REDIS_URL", "redis://ws-redis:6379/1")))
        .containsExactly(Map.entry("quarkus.redis.hosts", "redis://ws-redis:6379/1"));
  }

  @ParameterizedTest
  @CsvSource({
    "WEBSOCKET_REDIS_CLUSTER, true",
    "WEBSOCKET_REDIS_CLUSTER, True",
    "REDIS_CLUSTER, True",
    "REDIS_CLUSTER, true",
  })
  void turnsOnClusterModeWhenOpenWebUiDoes(String variable, String value) {
    assertThat(quarkus(Map.of("REDIS_URL", "redis://redis-node-0:6379", variable, value)))
        .containsOnly(
            Map.entry("quarkus.redis.hosts", "redis://redis-node-0:6379"),
            Map.entry("quarkus.redis.client-type", "cluster"));
  }

  @ParameterizedTest
  @CsvSource({
    "WEBSOCKET_REDIS_CLUSTER, false",
    "WEBSOCKET_REDIS_CLUSTER, False",
    "REDIS_CLUSTER, False",
  })
  void staysStandaloneWhenClusterModeIsOff(String variable, String value) {
    assertThat(quarkus(Map.of("REDIS_URL", "redis://redis:6379", variable, value)))
        .doesNotContainKey("quarkus.redis.client-type");
  }

  @Test
  void letsWebsocketRedisClusterOverrideRedisCluster() {
    assertThat(
            quarkus(
                Map.of(
                    "REDIS_URL", "redis://redis:6379",
                    "REDIS_CLUSTER", "True",
                    "WEBSOCKET_REDIS_CLUSTER", "false")))
        .doesNotContainKey("quarkus.redis.client-type");
  }

  @Test
  void pointsAtEverySentinelWithTheUrlsCredentialsAndDatabase() {
    assertThat(
            quarkus(
                Map.of(
                    "WEBSOCKET_SENTINEL_HOSTS", "s1, s2",
                    "WEBSOCKET_REDIS_URL", "redis://:pw@mymaster:6379/2")))
        .containsOnly(
            Map.entry("quarkus.redis.hosts", "redis://:pw@s1:26379/2,redis://:pw@s2:26379/2"),
            Map.entry("quarkus.redis.client-type", "sentinel"),
            Map.entry("quarkus.redis.master-name", "mymaster"),
            Map.entry("quarkus.redis.role", "master"));
  }

  @Test
  void usesTheConfiguredSentinelPort() {
    assertThat(
            quarkus(
                Map.of(
                    "WEBSOCKET_SENTINEL_HOSTS", "s1,s2",
                    "WEBSOCKET_SENTINEL_PORT", "5000",
                    "WEBSOCKET_REDIS_URL", "redis://mymaster:6379/0")))
        .containsEntry("quarkus.redis.hosts", "redis://s1:5000/0,redis://s2:5000/0");
  }

  @Test
  void fallsBackToRedisSentinelVariables() {
    assertThat(
            quarkus(
                Map.of(
                    "REDIS_SENTINEL_HOSTS", "sentinel-0,sentinel-1",
                    "REDIS_SENTINEL_PORT", "26380",
                    "REDIS_URL", "redis://:pw@redis-primary:6379/0")))
        .containsOnly(
            Map.entry(
                "quarkus.redis.hosts",
                "redis://:pw@sentinel-0:26380/0,redis://:pw@sentinel-1:26380/0"),
            Map.entry("quarkus.redis.client-type", "sentinel"),
            Map.entry("quarkus.redis.master-name", "redis-primary"),
            Map.entry("quarkus.redis.role", "master"));
  }

  @Test
  void prefersWebsocketSentinelVariablesOverRedisOnes() {
    assertThat(
            quarkus(
                Map.of(
                    "REDIS_SENTINEL_HOSTS", "app-sentinel",
                    "REDIS_SENTINEL_PORT", "1111",
                    "WEBSOCKET_SENTINEL_HOSTS", "ws-sentinel",
                    "WEBSOCKET_SENTINEL_PORT", "2222",
                    "WEBSOCKET_REDIS_URL", "redis://mymaster:6379/0")))
        .containsEntry("quarkus.redis.hosts", "redis://ws-sentinel:2222/0");
  }

  @Test
  void skipsEmptyEntriesInTheSentinelList() {
    assertThat(
            quarkus(
                Map.of(
                    "WEBSOCKET_SENTINEL_HOSTS", "s1,, s2 ,",
                    "WEBSOCKET_REDIS_URL", "redis://mymaster:6379")))
        .containsEntry("quarkus.redis.hosts", "redis://s1:26379,redis://s2:26379");
  }

  @Test
  void prefersSentinelOverClusterMode() {
    assertThat(
            quarkus(
                Map.of(
                    "WEBSOCKET_SENTINEL_HOSTS", "s1",
                    "WEBSOCKET_REDIS_CLUSTER", "true",
                    "WEBSOCKET_REDIS_URL", "redis://mymaster:6379/0")))
        .containsEntry("quarkus.redis.client-type", "sentinel");
  }

  /** Open WebUI names the master {@code mymaster} when the URL has no host. */
  @Test
  void namesTheMasterMymasterWhenSentinelHasNoUrl() {
    assertThat(quarkus(Map.of("WEBSOCKET_SENTINEL_HOSTS", "s1")))
        .containsEntry("quarkus.redis.client-type", "sentinel")
        .containsEntry("quarkus.redis.master-name", "mymaster")
        .containsEntry("quarkus.redis.hosts", "redis://s1:26379");
  }

  /**
   * A Sentinel master name is any word, underscores included; Open WebUI reads it with python's
   * urlparse, which accepts them, and keeps the password for the sentinels.
   */
  @Test
  void keepsAMasterNameWithUnderscoresAndItsPassword() {
    assertThat(
            quarkus(
                Map.of(
                    "WEBSOCKET_SENTINEL_HOSTS", "s1",
                    "WEBSOCKET_REDIS_URL", "redis://:pw@redis_master:6379/1")))
        .containsEntry("quarkus.redis.master-name", "redis_master")
        .containsEntry("quarkus.redis.hosts", "redis://:pw@s1:26379/1");
  }

  @Test
  void exposesTheMappedPropertiesBelowEnvironmentVariables() {
    OpenWebUiRedisConfigSource source =
        new OpenWebUiRedisConfigSource(Map.of("REDIS_URL", "redis://redis:6379/0")::get);

    assertThat(source.getValue("quarkus.redis.hosts")).isEqualTo("redis://redis:6379/0");
    assertThat(source.getPropertyNames()).containsExactly("quarkus.redis.hosts");
    assertThat(source.getOrdinal()).isGreaterThan(250).isLessThan(300);
  }
}
