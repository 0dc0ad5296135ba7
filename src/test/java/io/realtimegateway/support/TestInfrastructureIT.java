package io.realtimegateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-process helpers work on this machine: real {@code redis-server} processes (single,
 * Sentinel, Cluster) on free loopback ports, and the packaged gateway as its own process.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestInfrastructureIT {

  @Test
  void redisServerComesBackOnTheSamePortAfterAKill() {
    try (RedisServer redis = RedisServer.start()) {
      assertThat(redis.port()).isNotEqualTo(6379);
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.command("SET", "greeting", "héllo")).isEqualTo("OK");
      assertThat(redis.command("GET", "greeting")).isEqualTo("héllo");
      assertThat(redis.command("INCR", "counter")).isEqualTo(1L);
      assertThat(redis.command("GET", "missing")).isNull();
      assertThat(redis.command("RPUSH", "list", "a", "b")).isEqualTo(2L);
      assertThat(redis.command("LRANGE", "list", "0", "-1")).isEqualTo(List.of("a", "b"));
      assertThatThrownBy(() -> redis.command("INCR", "greeting"))
          .isInstanceOf(RedisServer.ErrorReply.class)
          .hasMessageStartingWith("ERR");

      int port = redis.port();
      redis.kill();
      assertThat(redis.isAlive()).isFalse();
      assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(UncheckedIOException.class);

      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.command("PING")).isEqualTo("PONG");
      assertThat(redis.command("GET", "greeting")).as("no persistence").isNull();

      redis.stop();
      assertThat(redis.isAlive()).isFalse();
    }
  }

  @Test
  void sentinelsPromoteTheReplicaWhenTheMasterIsKilled() {
    try (RedisSentinelTopology sentinel = RedisSentinelTopology.start()) {
      assertThat(sentinel.sentinelPorts()).hasSize(3).doesNotHaveDuplicates();
      assertThat(sentinel.masterName()).isEqualTo("mymaster");
      int oldMaster = sentinel.masterPort();
      RedisServer.commandAt(oldMaster, "SET", "before-failover", "kept");

      assertThat(sentinel.killMaster()).isEqualTo(oldMaster);
      int newMaster = sentinel.awaitFailover(Duration.ofSeconds(30));

      assertThat(newMaster).isNotEqualTo(oldMaster);
      assertThat(sentinel.masterPort()).isEqualTo(newMaster);
      assertThat(RedisServer.commandAt(newMaster, "GET", "before-failover")).isEqualTo("kept");
      assertThat(RedisServer.commandAt(newMaster, "SET", "after-failover", "written"))
          .isEqualTo("OK");
    }
  }

  @Test
  void clusterServesAKeyOnTheNodeOwningItsSlot() {
    try (RedisClusterTopology cluster = RedisClusterTopology.start()) {
      assertThat(cluster.ports()).hasSize(3).doesNotHaveDuplicates();
      assertThat(cluster.seedUrl()).isEqualTo("redis://127.0.0.1:" + cluster.ports().get(0));
      for (int port : cluster.ports()) {
        assertThat((String) RedisServer.commandAt(port, "CLUSTER", "INFO"))
            .contains("cluster_state:ok", "cluster_known_nodes:3");
      }

      int owner = cluster.portOwning("user:42");
      assertThat(RedisServer.commandAt(owner, "SET", "user:42", "sid-1")).isEqualTo("OK");
      assertThat(RedisServer.commandAt(owner, "GET", "user:42")).isEqualTo("sid-1");
      int other = cluster.ports().stream().filter(port -> port != owner).findFirst().orElseThrow();
      assertThatThrownBy(() -> RedisServer.commandAt(other, "GET", "user:42"))
          .isInstanceOf(RedisServer.ErrorReply.class)
          .hasMessageStartingWith("MOVED")
          .hasMessageEndingWith("127.0.0.1:" + owner);
    }
  }

  @Test
  void gatewayProcessListensOnThePortNamedByPortAndAnswersLivenessUntilKilled() {
    try (GatewayProcess gateway = GatewayProcess.start("smoke")) {
      assertThat(gateway.baseUri().toString())
          .isEqualTo("http://127.0.0.1:" + gateway.port() + "/");
      assertThat(gateway.isLive()).as(gateway.logTail(20)).isTrue();
      // Given only as the PORT environment variable (quarkus.http.port=${PORT:8080}).
      assertThat(gateway.logTail(40)).contains("Listening on: http://127.0.0.1:" + gateway.port());

      gateway.kill();

      assertThat(gateway.isAlive()).isFalse();
      await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.isLive());
    }
  }
}
