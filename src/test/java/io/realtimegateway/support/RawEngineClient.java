package io.realtimegateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that speaks Engine.IO frames by hand, for tests that must send exactly what a
 * library would not (bad packets, oversize frames, silence instead of PONG).
 */
public final class RawEngineClient implements AutoCloseable {

  /** A received frame: text, or binary when {@code binary} is set. */
  public record Frame(String text, byte[] binary) {
    public boolean isBinary() {
      return binary != null;
    }
  }

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private RawEngineClient(URI uri) {
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, new Listener())
            .join();
  }

  /** Connects to {@code base + path + "?EIO=4&transport=websocket"}. */
  public static RawEngineClient connect(URI base, String path) {
    return connect(base, path, "EIO=4&transport=websocket");
  }

  /** Connects with a query of one's own, e.g. the {@code sid} of a polling session to upgrade. */
  public static RawEngineClient connect(URI base, String path, String query) {
    String ws = base.toString().replaceFirst("^http", "ws").replaceAll("/+$", "");
    return new RawEngineClient(URI.create(ws + path + "?" + query));
  }

  /** Sends a text frame; a frame that loses a race with the server's close is dropped. */
  public void send(String text) {
    try {
      socket.sendText(text, true).join();
    } catch (CompletionException e) {
      if (!closed.isDone()) {
        throw e;
      }
    }
  }

  public void sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).join();
  }

  /** The next frame, waiting up to 5 s; fails when none comes. */
  public Frame next() {
    try {
      Frame frame = frames.poll(5, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within 5 s");
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame within {@code millis}, or null. */
  public Frame poll(long millis) {
    try {
      return frames.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next text frame that is not an Engine.IO PING. */
  public String nextText() {
    for (; ; ) {
      Frame frame = next();
      if (frame.isBinary()) {
        throw new AssertionError("expected text, got " + frame.binary().length + " bytes");
      }
      if (!"2".equals(frame.text())) {
        return frame.text();
      }
    }
  }

  /** The next binary frame, skipping PINGs. */
  public byte[] nextBinary() {
    for (; ; ) {
      Frame frame = next();
      if (frame.isBinary()) {
        return frame.binary();
      }
      if (!"2".equals(frame.text())) {
        throw new AssertionError("expected binary, got " + frame.text());
      }
    }
  }

  /** Completes with the close status code when the server closes the connection. */
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frames.add(new Frame(text.toString(), null));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
      joined.put(binary).put(data).flip();
      binary = joined;
      if (last) {
        byte[] bytes = new byte[binary.remaining()];
        binary.get(bytes);
        frames.add(new Frame(null, bytes));
        binary = ByteBuffer.allocate(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
