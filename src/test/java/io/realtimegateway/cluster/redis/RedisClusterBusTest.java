package io.realtimegateway.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.cluster.ClusterMessage;
import io.realtimegateway.support.RedisChannelRecorder;
import io.realtimegateway.support.RedisModeProfile;
import io.realtimegateway.support.RedisModeResource;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The publishing side of the Redis bus against a real redis-server: publishes coalesced per turn of
 * the event loop and pipelined on one connection still reach a subscriber in the order they were
 * made, whether made in one turn, in many turns, or from a thread outside Vert.x.
 */
@QuarkusTest
@TestProfile(RedisModeProfile.class)
class RedisClusterBusTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject RedisClusterBus bus;
  @Inject Vertx vertx;

  @Test
  void publishesMadeInOneTurnInManyTurnsAndOffTheLoopArriveInTheOrderMade() throws Exception {
    String room = "user:order-" + UUID.randomUUID();
    int perGroup = 500; // 3 x 500 publishes stay inside the default 4 MiB backlog
    try (RedisChannelRecorder python =
        new RedisChannelRecorder(RedisModeResource.server().url(), "socketio", "socketio#*")) {
      Context loop = vertx.getOrCreateContext();
      CountDownLatch done = new CountDownLatch(1);
      // Group 1: all in one turn of an event loop.
      loop.runOnContext(
          ignored -> {
            for (int seq = 0; seq < perGroup; seq++) {
              publish(room, seq);
            }
            // Group 2: one publish per turn, each turn queued behind the previous one.
            publishOnePerTurn(loop, room, perGroup, 2 * perGroup, done);
          });
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      // Group 3: from this (non-Vert.x) thread, after the others.
      for (int seq = 2 * perGroup; seq < 3 * perGroup; seq++) {
        publish(room, seq);
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sequence(python, room).size() == 3 * perGroup);
      List<Integer> expected = new ArrayList<>();
      for (int seq = 0; seq < 3 * perGroup; seq++) {
        expected.add(seq);
      }
      assertThat(sequence(python, room)).isEqualTo(expected);
      assertThat(python.messages())
          .filteredOn(message -> message.payload().contains(room))
          .allSatisfy(message -> assertThat(message.channel()).isEqualTo("socketio#/#" + room));
    }
  }

  private void publishOnePerTurn(Context loop, String room, int seq, int end, CountDownLatch done) {
    if (seq == end) {
      done.countDown();
      return;
    }
    publish(room, seq);
    loop.runOnContext(ignored -> publishOnePerTurn(loop, room, seq + 1, end, done));
  }

  private void publish(String room, int seq) {
    bus.publishOrLog(
        new ClusterMessage.Emit(
            "events",
            List.of(JsonNodeFactory.instance.objectNode().put("seq", seq)),
            "/",
            List.of(room),
            null,
            null,
            "e".repeat(32)));
  }

  /** The sequence numbers published for {@code room}, in the order Redis delivered them. */
  private static List<Integer> sequence(RedisChannelRecorder python, String room) throws Exception {
    List<Integer> seen = new ArrayList<>();
    for (RedisChannelRecorder.Published message : python.messages()) {
      if (message.payload().contains(room)) {
        JsonNode data = JSON.readTree(message.payload()).get("data");
        seen.add(data.get(0).get("seq").asInt());
      }
    }
    return seen;
  }
}
