package io.realtimegateway.engine;

import io.netty.handler.codec.http.QueryStringDecoder;
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
import java.util.List;

/**
 * The WebSocket endpoint of every Engine.IO path: turns frames into {@link EngineServer} calls and
 * keeps no state but the connection's session handle. A connection without {@code sid} opens a
 * session whose context is the connection's event loop; one with the {@code sid} of a polling
 * session (checked by {@link HandshakeFilter}) is offered to it as an upgrade. The handshake keeps
 * the public path the client asked for, which picks the listener.
 */
@WebSocket(path = EngineRoutes.ENDPOINT)
public class EngineEndpoint {

  private static final TypedKey<Link> LINK = new TypedKey<>("engine-link");

  /** The session a connection serves, and the connection as that session's transport. */
  private record Link(EngineSession session, EngineTransport transport) {}

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
    WebSocketTransport transport = new WebSocketTransport(connection);
    String sid = sid(connection.handshakeRequest().query());
    if (sid == null) {
      EngineSession session = server.open(transport, listener, Vertx.currentContext());
      connection.userData().put(LINK, new Link(session, transport));
      return;
    }
    EngineSession session = server.session(sid);
    if (session == null) {
      // Closed between the handshake check and now.
      connection.close().subscribe().with(ignored -> {}, failure -> {});
      return;
    }
    connection.userData().put(LINK, new Link(session, transport));
    server.upgrade(session, transport);
  }

  @OnTextMessage
  @NonBlocking
  void onText(WebSocketConnection connection, String frame) {
    Link link = connection.userData().get(LINK);
    if (link != null) {
      server.onText(link.session(), link.transport(), frame);
    }
  }

  @OnBinaryMessage
  @NonBlocking
  void onBinary(WebSocketConnection connection, Buffer frame) {
    Link link = connection.userData().get(LINK);
    if (link != null) {
      server.onBinary(link.session(), link.transport(), frame.getBytes());
    }
  }

  @OnClose
  @NonBlocking
  void onClose(WebSocketConnection connection) {
    Link link = connection.userData().get(LINK);
    if (link != null) {
      server.onTransportClosed(link.session(), link.transport(), "transport close");
    }
  }

  @OnError
  @NonBlocking
  void onError(WebSocketConnection connection, Throwable error) {
    Link link = connection.userData().get(LINK);
    if (link != null) {
      server.onTransportError(link.session(), link.transport(), error);
    }
  }

  private static String sid(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    List<String> values = new QueryStringDecoder(query, false).parameters().get("sid");
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
