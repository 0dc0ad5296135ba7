package io.realtimegateway.bench.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/** Engine.IO over one WebSocket: each text frame is one packet. */
final class WebSocketTransport implements ClientTransport {

  private final WebSocketClient client;
  private final WebSocketConnectOptions options;
  private final FleetStats stats;
  private WebSocket socket;
  private boolean closeAsked;

  WebSocketTransport(WebSocketClient client, WebSocketConnectOptions options, FleetStats stats) {
    this.client = client;
    this.options = options;
    this.stats = stats;
  }

  @Override
  public Future<Void> open(Handler<String> packets, Handler<String> closed) {
    return client
        .connect(options)
        .map(
            ws -> {
              socket = ws;
              stats.localPorts.add(ws.localAddress().port());
              String extensions =
                  ws.headers() == null ? null : ws.headers().get("sec-websocket-extensions");
              if (extensions != null && extensions.contains("permessage-deflate")) {
                stats.deflateNegotiated.increment();
              }
              ws.textMessageHandler(packets);
              ws.binaryMessageHandler(
                  b -> {
                    stats.protocolErrors.increment();
                    stats.problem("unexpected binary frame");
                  });
              ws.exceptionHandler(
                  e -> {
                    stats.socketErrors.increment();
                    stats.problem("socket error: " + ClientConnection.rootMessage(e));
                  });
              ws.closeHandler(v -> closed.handle("status " + ws.closeStatusCode()));
              if (closeAsked) {
                ws.close();
              }
              return null;
            });
  }

  @Override
  public void write(String packet) {
    if (socket != null && !socket.isClosed()) {
      socket.writeTextMessage(packet);
    }
  }

  @Override
  public void close() {
    closeAsked = true;
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
  }

  @Override
  public boolean isClosed() {
    return socket == null || socket.isClosed();
  }
}
