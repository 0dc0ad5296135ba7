package io.realtimegateway.engine;

import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The WebSocket endpoint of every Engine.IO path: turns frames into {@link EngineServer} calls and
 * keeps no state but the connection's session handle. The handshake keeps the public path the
 * client asked for, which picks the listener.
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
    HandshakeRequest request = connection.handshakeRequest();
    EngineListener listener = routes.listenerFor(request.path()).orElse(null);
    if (listener == null) {
      // HandshakeFilter lets no such request through; never serve a path nobody claimed.
      connection.close().subscribe().with(ignored -> {}, failure -> {});
      return;
    }
    Map<String, String> handshake = new HashMap<>();
    handshake.put("path", request.path());
    handshake.put("query", request.query());
    handshake.put("remote-address", request.remoteAddress());
    if (request.header("Origin") != null) {
      handshake.put("origin", request.header("Origin"));
    }
    EngineSession session = server.open(new WebSocketTransport(connection), listener, handshake);
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
    closed(connection, "transport close");
  }

  @OnError
  @NonBlocking
  void onError(WebSocketConnection connection, Throwable error) {
    closed(connection, "transport error");
  }

  private void closed(WebSocketConnection connection, String reason) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onTransportClosed(session, reason);
    }
  }
}
