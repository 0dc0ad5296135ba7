package io.realtimegateway.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.NodeClient;
import io.realtimegateway.support.ReadinessBalancer;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.json.JSONArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling update seen from the clients: two replicas behind a balancer that, like a Kubernetes
 * Service, sends new connections only to ready replicas; one replica gets SIGTERM and drains. The
 * clients are Node's socket.io-client with the Open WebUI web client's reconnection settings
 * ({@code src/test/node/drain-clients.e2e.mjs} checks what they see).
 */
class DrainIT {

  private static final int CLIENTS = 100;

  private RedisServer redis;
  private GatewayProcess drained;
  private GatewayProcess survivor;
  private ReadinessBalancer balancer;

  @BeforeEach
  void startFleet() {
    redis = RedisServer.start();
    Map<String, String> env =
        Map.of(
            "WEBSOCKET_MANAGER", "redis",
            "REDIS_URL", redis.url(),
            "WEBUI_SECRET_KEY", Tokens.SECRET,
            "GATEWAY_CLUSTER_ADVERTISED_ADDRESS", "127.0.0.1",
            "GATEWAY_COMPLETION_ECHO_WORD_INTERVAL", "200ms");
    drained = GatewayProcess.start("drain-a", env);
    survivor = GatewayProcess.start("drain-b", env);
    balancer = ReadinessBalancer.start(List.of(drained.baseUri(), survivor.baseUri()));
  }

  @AfterEach
  void stopFleet() {
    balancer.close();
    drained.close();
    survivor.close();
    redis.close();
  }

  @Test
  void sigtermMovesEveryClientToTheOtherReplicaWithinFiveSecondsAndLeavesNothingBehind()
      throws Exception {
    List<String> users = IntStream.range(0, CLIENTS).mapToObj(i -> "drain-" + i).toList();
    List<String> tokens = users.stream().map(user -> Tokens.valid(user, user)).toList();

    String output =
        NodeClient.run(
            balancer.baseUri(),
            "drain-clients.e2e.mjs",
            Map.of(
                "DRAIN_URL", drained.baseUri().toString().replaceAll("/+$", ""),
                "SURVIVOR_URL", survivor.baseUri().toString().replaceAll("/+$", ""),
                "DRAIN_PID", String.valueOf(drained.pid()),
                "TOKENS", new JSONArray(tokens).toString(),
                "USERS", new JSONArray(users).toString()),
            "drain e2e: all checks passed");

    // 143: the JVM's exit status after a SIGTERM it handled (128 + 15), as Kubernetes sees it.
    assertThat(drained.awaitExit(Duration.ofSeconds(25)))
        .as("drained replica exit code")
        .isEqualTo(143);
    String sidsLine =
        output.lines().filter(line -> line.startsWith("SIDS ")).findFirst().orElseThrow();
    Set<String> sidsNow = new HashSet<>();
    JSONArray sids = new JSONArray(sidsLine.substring("SIDS ".length()));
    for (int i = 0; i < sids.length(); i++) {
      sidsNow.add(sids.getString(i));
    }
    // The clients disconnect at the end of the script; the survivor removes them meanwhile, so
    // compare with what the pool held of the drained replica: nothing.
    assertThat(sidsNow).hasSize(CLIENTS);
    assertThat(redis.command("KEYS", "open-webui:gateway:node:*:sids"))
        .as("only the survivor's session list is left")
        .asList()
        .hasSizeLessThanOrEqualTo(1);
    assertThat(new HashSet<>(sessionPool())).as("session pool").isSubsetOf(sidsNow);
    assertThat(redis.command("HLEN", "open-webui:tasks")).isEqualTo(0L);
  }

  @SuppressWarnings("unchecked")
  private List<String> sessionPool() {
    Object keys = redis.command("HKEYS", "open-webui:session_pool");
    return keys instanceof List<?> list ? (List<String>) list : List.of();
  }
}
