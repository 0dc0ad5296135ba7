package io.realtimegateway.engine;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/** Open WebUI's Socket.IO endpoint, {@code /ws/socket.io/}. */
@WebSocket(path = EnginePaths.SOCKET_IO)
public class SocketIoEndpoint {

  private final EngineServer server;
  private final EngineListener socketServer;

  public SocketIoEndpoint(EngineServer server, EngineListener socketServer) {
    this.server = server;
    this.socketServer = socketServer;
  }

  @OnOpen
  @NonBlocking
  void onOpen(WebSocketConnection connection) {
    EngineEndpoints.open(server, socketServer, connection);
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
