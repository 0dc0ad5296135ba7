package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

/** Engine.IO over one websockets-next connection: one packet per frame. */
final class WebSocketTransport implements EngineTransport {

  private final WebSocketConnection connection;

  WebSocketTransport(WebSocketConnection connection) {
    this.connection = connection;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void sendText(String frame) {
    connection.sendText(frame).subscribe().with(ignored -> {}, this::logFailure);
  }

  @Override
  public void sendBinary(byte[] data) {
    connection.sendBinary(Buffer.buffer(data)).subscribe().with(ignored -> {}, this::logFailure);
  }

  @Override
  public void close() {
    connection.close().subscribe().with(ignored -> {}, this::logFailure);
  }

  private void logFailure(Throwable failure) {
    Log.debugf("websocket %s: send failed: %s", connection.id(), failure.getMessage());
  }
}
