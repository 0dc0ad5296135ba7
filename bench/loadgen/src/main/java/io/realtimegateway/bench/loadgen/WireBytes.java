package io.realtimegateway.bench.loadgen;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes the client connections read from their sockets, as they came off the wire: compressed
 * WebSocket frames with their headers, or HTTP responses for polling. Vert.x decompresses
 * permessage-deflate before a message reaches the client, so the count comes from its metrics SPI,
 * which sees each socket read; only the clients' own HTTP / WebSocket clients (marked with {@link
 * #CLIENTS}) are counted, not the backend's requests or the fake model server.
 */
final class WireBytes implements VertxMetrics {

  /** Metrics name of the client connections' Vert.x clients. */
  static final String CLIENTS = "loadgen-clients";

  static final LongAdder READ = new LongAdder();

  private static final HttpClientMetrics<Object, Object, Object, Object> COUNTING =
      new HttpClientMetrics<>() {
        @Override
        public void bytesRead(Object socket, SocketAddress remote, long bytes) {
          READ.add(bytes);
        }
      };

  @Override
  public HttpClientMetrics<?, ?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    return CLIENTS.equals(options.getMetricsName()) ? COUNTING : null;
  }
}
