package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A message the gateway refuses for its size ends that connection with close code 1009, whatever
 * way it arrives: compressed with permessage-deflate (as browsers send), in fragments, as a small
 * frame that inflates past the limit, as one plain frame, or just over {@code maxPayload}. The
 * connection is closed, not merely forgotten, so a client cannot keep it open.
 */
@QuarkusTest
class OversizeMessageTest {

  private static final int OVER_THE_LIMIT = 1_100_000;

  @TestHTTPResource("/")
  URI gateway;

  @Inject Vertx vertx;

  @Inject EngineServer engine;

  private WebSocketClient client;

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aCompressedMessageOverTheLimitIsClosedWith1009() throws Exception {
    assertClosedWith1009(
        true,
        socket -> socket.writeTextMessage("42[\"x\",\"" + "a".repeat(OVER_THE_LIMIT) + "\"]"));
  }

  @Test
  void aMessageOverTheLimitInTwoFragmentsIsClosedWith1009() throws Exception {
    assertClosedWith1009(
        false,
        socket -> {
          socket.writeFrame(WebSocketFrame.textFrame("42[\"x\",\"" + "b".repeat(600_000), false));
          socket.writeFrame(
              WebSocketFrame.continuationFrame(Buffer.buffer("c".repeat(600_000) + "\"]"), true));
        });
  }

  @Test
  void aSmallFrameThatInflatesFarPastTheLimitIsClosedWith1009() throws Exception {
    assertClosedWith1009(true, socket -> socket.writeTextMessage("4" + "z".repeat(50_000_000)));
  }

  @Test
  void onePlainFrameOverTheLimitIsClosedWith1009() throws Exception {
    assertClosedWith1009(
        false,
        socket ->
            socket.writeFrame(
                WebSocketFrame.textFrame(
                    "42[\"x\",\"" + "d".repeat(OVER_THE_LIMIT) + "\"]", true)));
  }

  @Test
  void aMessageJustOverMaxPayloadIsClosedWith1009() throws Exception {
    assertClosedWith1009(
        false, socket -> socket.writeTextMessage("42[\"x\",\"" + "e".repeat(1_000_000) + "\"]"));
  }

  private void assertClosedWith1009(boolean deflate, Consumer<WebSocket> send) throws Exception {
    int before = engine.sessionCount();
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setTryUsePerMessageCompression(deflate)
                .setMaxFrameSize(64 * 1024 * 1024)
                .setMaxMessageSize(64 * 1024 * 1024));
    CompletableFuture<Short> closeCode = new CompletableFuture<>();
    WebSocket socket =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost(gateway.getHost())
                    .setPort(gateway.getPort())
                    .setURI("/ws/socket.io/?EIO=4&transport=websocket"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    socket.closeHandler(ignored -> closeCode.complete(socket.closeStatusCode()));
    socket.writeTextMessage("40");
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.sessionCount() > before);
    int open = engine.sessionCount();

    send.accept(socket);

    // Generous: deflating and inflating 50 MB takes a while on a busy machine.
    assertThat(closeCode.get(60, TimeUnit.SECONDS)).isEqualTo((short) 1009);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.sessionCount() < open);
  }
}
