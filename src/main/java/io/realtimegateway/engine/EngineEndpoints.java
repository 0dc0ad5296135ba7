package io.realtimegateway.engine;

import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * What every WebSocket endpoint does: turn frames into {@link EngineServer} calls, keeping no state
 * but the connection's session handle. Which paths are served is decided by {@link HandshakeFilter}
 * before the upgrade.
 */
public final class EngineEndpoints {

  // Shared by the @WebSocket classes: websockets-next wants callbacks declared on each endpoint.

  private static final TypedKey<EngineSession> SESSION = new TypedKey<>("engine-session");

  private EngineEndpoints() {}

  public static void open(
      EngineServer server, EngineListener listener, WebSocketConnection connection) {
    Map<String, String> handshake = new HashMap<>();
    handshake.put("query", connection.handshakeRequest().query());
    String origin = connection.handshakeRequest().header("Origin");
    if (origin != null) {
      handshake.put("origin", origin);
    }
    handshake.put("remote-address", connection.handshakeRequest().remoteAddress());
    EngineSession session = server.open(new WebSocketTransport(connection), listener, handshake);
    connection.userData().put(SESSION, session);
  }

  public static void text(EngineServer server, WebSocketConnection connection, String frame) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onText(session, frame);
    }
  }

  public static void binary(EngineServer server, WebSocketConnection connection, Buffer frame) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onBinary(session, frame.getBytes());
    }
  }

  public static void closed(EngineServer server, WebSocketConnection connection, String reason) {
    EngineSession session = connection.userData().get(SESSION);
    if (session != null) {
      server.onTransportClosed(session, reason);
    }
  }
}
