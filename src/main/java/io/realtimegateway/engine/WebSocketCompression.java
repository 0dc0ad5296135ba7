package io.realtimegateway.engine;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * WebSocket compression as Open WebUI negotiates it: permessage-deflate only, switched by {@code
 * UVICORN_WS_PER_MESSAGE_DEFLATE} (application.properties maps it onto websockets-next's {@code
 * per-message-compression-supported}). Vert.x would also accept the older {@code deflate-frame}
 * extension; uvicorn's websockets library has none, and with it on, {@code
 * UVICORN_WS_PER_MESSAGE_DEFLATE=false} would not mean uncompressed for a client offering it.
 */
@ApplicationScoped
public class WebSocketCompression implements HttpServerOptionsCustomizer {

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.setPerFrameWebSocketCompressionSupported(false);
  }
}
