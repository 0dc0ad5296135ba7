package io.realtimegateway.bench.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * How one client's Engine.IO packets travel: a WebSocket ({@link WebSocketTransport}) or HTTP
 * long-polling ({@link PollingTransport}). {@link ClientConnection} speaks the protocol on top and
 * does not know which. Every method runs on the client's context, and so do the handlers.
 */
interface ClientTransport {

  /**
   * Opens the transport. From then on each Engine.IO packet the server sends (text, one per call)
   * goes to {@code packets}, and {@code closed} is called once when the transport ends, with a
   * reason a report can show. Completes when packets can be written, fails when it cannot open.
   */
  Future<Void> open(Handler<String> packets, Handler<String> closed);

  /** Writes one Engine.IO packet; dropped once the transport is closing. */
  void write(String packet);

  /** Closes as a browser tab does; {@code closed} follows once the transport is gone. */
  void close();

  boolean isClosed();
}
