package io.realtimegateway.conformance;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.engine.EngineEndpoints;
import io.realtimegateway.engine.EnginePaths;
import io.realtimegateway.engine.EngineServer;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * The engine.io-protocol suite's raw echo endpoint, {@code /engine.io/}, served only in the
 * conformance profile.
 */
@WebSocket(path = EnginePaths.CONFORMANCE_ENGINE_IO)
public class ConformanceEngineIoEndpoint {

  private final EngineServer server;
  private final RawEchoListener listener;

  public ConformanceEngineIoEndpoint(EngineServer server, RawEchoListener listener) {
    this.server = server;
    this.listener = listener;
  }

  @OnOpen
  @NonBlocking
  void onOpen(WebSocketConnection connection) {
    EngineEndpoints.open(server, listener, connection);
  }

  @OnTextMessage
  @NonBlocking
  void onText(WebSocketConnection connection, String frame) {
    EngineEndpoints.text(server, connection, frame);
  }

  @OnBinaryMessage
  @NonBlocking
  void onBinary(WebSocketConnection connection, Buffer frame) {
    EngineEndpoints.binary(server, connection, frame);
  }

  @OnClose
  @NonBlocking
  void onClose(WebSocketConnection connection) {
    EngineEndpoints.closed(server, connection, "transport close");
  }

  @OnError
  @NonBlocking
  void onError(WebSocketConnection connection, Throwable error) {
    EngineEndpoints.closed(server, connection, "transport error");
  }
}
