package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Engine.IO over one websockets-next connection: one packet per frame. Counts the bytes of writes
 * that have not completed yet, which is how a client that stops reading shows.
 */
final class WebSocketTransport implements EngineTransport {

  private final WebSocketConnection connection;

  /** Added to by sends (any thread), taken from by write completions (the event loop). */
  private final AtomicLong queuedBytes = new AtomicLong();

  WebSocketTransport(WebSocketConnection connection) {
    this.connection = connection;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public boolean sendsFromAnyThread() {
    return true;
  }

  @Override
  public void send(EnginePacket packet) {
    if (packet.isBinary()) {
      sendBinary(packet.binary());
    } else {
      sendText(EnginePacketCodec.encodeText(packet));
    }
  }

  private void sendText(String frame) {
    // The UTF-16 length: a lower bound of the bytes, close enough for a queue limit.
    queuedBytes.addAndGet(frame.length());
    connection.sendText(frame).subscribe().withSubscriber(new WriteOutcome(frame.length()));
  }

  private void sendBinary(byte[] data) {
    queuedBytes.addAndGet(data.length);
    connection
        .sendBinary(Buffer.buffer(data))
        .subscribe()
        .withSubscriber(new WriteOutcome(data.length));
  }

  @Override
  public long queuedBytes() {
    return queuedBytes.get();
  }

  @Override
  public void close(CloseCode code, boolean flush, Runnable released) {
    // Frames already handed to the connection are written before its close frame.
    released.run();
    if (connection.isClosed()) {
      // The client closed first (e.g. CLOSE, then the WebSocket close frame).
      return;
    }
    connection.close(new CloseReason(code.code())).subscribe().withSubscriber(new WriteOutcome(0));
  }

  /**
   * Hears how one write ended. A plain subscriber, because {@code subscribe().with(onItem,
   * onFailure)} wraps both callbacks for context propagation on every frame: that was a third of
   * the fan-out's allocations.
   */
  private final class WriteOutcome implements UniSubscriber<Void> {
    private final int bytes;

    WriteOutcome(int bytes) {
      this.bytes = bytes;
    }

    @Override
    public void onSubscribe(UniSubscription subscription) {}

    @Override
    public void onItem(Void ignored) {
      queuedBytes.addAndGet(-bytes);
    }

    @Override
    public void onFailure(Throwable failure) {
      queuedBytes.addAndGet(-bytes);
      Log.debugf("websocket %s: write failed: %s", connection.id(), failure.getMessage());
    }
  }
}
