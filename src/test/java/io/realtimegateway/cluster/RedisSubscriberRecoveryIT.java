package io.realtimegateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayProcess;
import io.realtimegateway.support.RedisServer;
import io.realtimegateway.support.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis killed and restarted on its port, again and again, while a backend emits to a user through
 * replica A and the user's tab is on replica B: after every recovery B is subscribed exactly once,
 * so every event reaches the tab exactly once. Events emitted while Redis is down may be lost.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RedisSubscriberRecoveryIT {

  private static final Logger LOG = Logger.getLogger(RedisSubscriberRecoveryIT.class);

  private static final String USER = "recovery-user";
  private static final int BATCH = 25;

  /** How long Redis stays dead in each cycle: immediate restarts and outages of a few seconds. */
  private static final List<Duration> OUTAGES =
      List.of(
          Duration.ZERO,
          Duration.ofSeconds(3),
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          Duration.ZERO,
          Duration.ofMillis(700),
          Duration.ofSeconds(2));

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  @Test
  void everyEmitAfterEachRedisRestartReachesTheTabExactlyOnce() throws Exception {
    try (RedisServer redis = RedisServer.start();
        GatewayProcess a = GatewayProcess.start("recovery-a", env(redis));
        GatewayProcess b = GatewayProcess.start("recovery-b", env(redis));
        BrowserTab tab = BrowserTab.open(b.baseUri(), Tokens.valid(USER, USER))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.command("HGET", "open-webui:session_pool", tab.sid()) != null);
      awaitSubscribed(redis, a, b);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger background = new AtomicInteger();
      Thread emitter =
          new Thread(
              () -> {
                // Keeps emitting through every outage; a refused or failed request is expected.
                while (running.get()) {
                  tryEmit(a, "bg-" + background.incrementAndGet());
                  pause(Duration.ofMillis(20));
                }
              },
              "recovery-background-emitter");
      emitter.setDaemon(true);
      emitter.start();
      try {
        for (int cycle = 0; cycle < OUTAGES.size(); cycle++) {
          Duration outage = OUTAGES.get(cycle);
          LOG.infof("cycle %d: killing Redis for %s", cycle, outage);
          redis.kill();
          // The outage itself: how long Redis stays away is what this cycle is about.
          pause(outage);
          redis.restart();
          awaitSubscribed(redis, a, b);

          List<String> batch = new ArrayList<>();
          for (int i = 0; i < BATCH; i++) {
            String event = "batch-" + cycle + "-" + i;
            batch.add(event);
            assertThat(tryEmit(a, event)).as("emit %s", event).isEqualTo(202);
          }
          int currentCycle = cycle;
          await("batch of cycle " + cycle + " on the tab")
              .atMost(Duration.ofSeconds(15))
              .untilAsserted(
                  () ->
                      assertThat(counts(tab))
                          .as("cycle %d", currentCycle)
                          .containsKeys(batch.toArray(String[]::new)));
          // A fence emitted after the batch: once it is here, a second subscription has had every
          // chance to deliver its copy of the batch as well.
          String fence = "fence-" + cycle;
          assertThat(tryEmit(a, fence)).isEqualTo(202);
          await().atMost(Duration.ofSeconds(15)).until(() -> counts(tab).containsKey(fence));

          Map<String, Long> counts = counts(tab);
          for (String event : batch) {
            assertThat(counts.get(event)).as("deliveries of %s", event).isEqualTo(1L);
          }
          assertThat(subscribers(redis))
              .as("subscriptions on the restarted Redis after cycle %d", cycle)
              .isEqualTo(List.of(2L, 2L, 2L));
        }
      } finally {
        running.set(false);
        emitter.join(10_000);
      }

      Map<String, Long> duplicated =
          counts(tab).entrySet().stream()
              .filter(entry -> entry.getValue() > 1)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      assertThat(duplicated).as("events delivered more than once").isEmpty();
      long backgroundReceived =
          counts(tab).keySet().stream().filter(event -> event.startsWith("bg-")).count();
      LOG.infof(
          "background events: %d emitted, %d received (the rest fell into outages)",
          background.get(), backgroundReceived);
      assertThat(backgroundReceived).isPositive();
    }
  }

  private static Map<String, String> env(RedisServer redis) {
    return Map.of(
        "WEBSOCKET_MANAGER",
        "redis",
        "REDIS_URL",
        redis.url(),
        "WEBUI_SECRET_KEY",
        Tokens.SECRET,
        // Faster than the 10 s default, so readiness comes back sooner; the behaviour is the same.
        "GATEWAY_CLUSTER_NODE_TTL",
        "4s");
  }

  /**
   * Both replicas ready and both subscribed to the Redis running now: readiness alone could still
   * be UP from before a kill the replica has not noticed yet.
   */
  private static void awaitSubscribed(RedisServer redis, GatewayProcess a, GatewayProcess b) {
    await("both replicas ready and subscribed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(
                        "a="
                            + a.readinessStatus()
                            + " b="
                            + b.readinessStatus()
                            + " subscribers="
                            + subscribers(redis))
                    .matches("a=200 b=200 subscribers=\\[[2-9], [2-9], [2-9]\\]"));
  }

  /**
   * Subscribers of the {@code socketio} and {@code socketio:gateway} channels, and connections with
   * a pattern subscription ({@code socketio#*}; {@code PUBSUB NUMPAT} counts distinct patterns, not
   * subscribers): one each per replica.
   */
  private static List<Long> subscribers(RedisServer redis) {
    List<?> numsub = (List<?>) redis.command("PUBSUB", "NUMSUB", "socketio", "socketio:gateway");
    long patternSubscribers =
        ((String) redis.command("CLIENT", "LIST", "TYPE", "pubsub"))
            .lines()
            .filter(client -> !client.contains(" psub=0 "))
            .count();
    return List.of((Long) numsub.get(1), (Long) numsub.get(3), patternSubscribers);
  }

  private static Map<String, Long> counts(BrowserTab tab) {
    return tab.events().stream()
        .map(String::valueOf)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  /** The status of an emit to the user's room, or -1 when the request failed. */
  private static int tryEmit(GatewayProcess replica, String data) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(replica.baseUri() + "internal/v1/emit"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"event\":\"events\",\"room\":\"user:"
                        + USER
                        + "\",\"data\":\""
                        + data
                        + "\"}"))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
