package io.realtimegateway.engine;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The WebSocket endpoint of every Engine.IO path: turns frames into {@link EngineServer} calls and
 * keeps no state but the connection's session handle. Every callback runs on the connection's event
 * loop, which becomes the session's context. The handshake keeps the public path the client asked
 * for, which picks the listener.
 */
@WebSocket(path = EngineRoutes.ENDPOINT)
public class EngineEndpoint {

  private static final TypedKey<EngineSession> SESSION = new TypedKey<>("engine-session");

  private final EngineServer server;
  private final EngineRoutes routes;

  public EngineEndpoint(EngineServer server, EngineRoutes routes) {
    this.server = server;
    this.routes = routes;
  }

  @OnOpen
  @NonBlocking
  void onOpen(WebSocketConnection connection) {
    EngineListener listener = routes.listenerFor(connection.handshakeRequest().path()).orElse(null);
    if (listener == null) {
      // HandshakeFilter lets no such request through; never serve a path nobody claimed.
      connection.close().subscribe().with(ignored -> {}, failure -> {});
      return;
    }
    EngineSession session =
        server.open(new WebSocketTransport(connection), listener, Vertx.currentContext());
    connection.userData().put(SESSION, session);
  }

  @OnTextMessage
  @NonBlocking
  void onText(WebSocketConnection connection, String frame) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onText(session, frame);
    }
  }

  @OnBinaryMessage
  @NonBlocking
  void onBinary(WebSocketConnection connection, Buffer frame) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onBinary(session, frame.getBytes());
    }
  }

  @OnClose
  @NonBlocking
  void onClose(WebSocketConnection connection) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onTransportClosed(session, "transport close");
    }
  }

  @OnError
  @NonBlocking
  void onError(WebSocketConnection connection, Throwable error) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onTransportError(session, error);
    }
  }
}
