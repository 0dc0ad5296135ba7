package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.buffer.Buffer;

/** Engine.IO over one websockets-next connection: one packet per frame. */
final class WebSocketTransport implements EngineTransport {

  private final WebSocketConnection connection;

  /**
   * Hears how every write of this connection ended. One subscriber for all of them, because {@code
   * subscribe().with(onItem, onFailure)} wraps both callbacks for context propagation on every
   * frame: that was a third of the fan-out's allocations.
   */
  private final UniSubscriber<Void> writeOutcome =
      new UniSubscriber<>() {
        @Override
        public void onSubscribe(UniSubscription subscription) {}

        @Override
        public void onItem(Void ignored) {}

        @Override
        public void onFailure(Throwable failure) {
          Log.debugf("websocket %s: write failed: %s", connection.id(), failure.getMessage());
        }
      };

  WebSocketTransport(WebSocketConnection connection) {
    this.connection = connection;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void sendText(String frame) {
    connection.sendText(frame).subscribe().withSubscriber(writeOutcome);
  }

  @Override
  public void sendBinary(byte[] data) {
    connection.sendBinary(Buffer.buffer(data)).subscribe().withSubscriber(writeOutcome);
  }

  @Override
  public void close() {
    connection.close().subscribe().withSubscriber(writeOutcome);
  }
}
