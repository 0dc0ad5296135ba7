package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.realtimegateway.support.GatewayProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code UVICORN_WS_PER_MESSAGE_DEFLATE=false} on the packaged gateway: a browser's offer of
 * permessage-deflate is declined, so every frame goes uncompressed (WebSocketCompressionTest has
 * the default).
 */
class WebSocketCompressionIT {

  @Test
  void declinesPerMessageDeflateWhenOpenWebUisSwitchIsOff() throws Exception {
    try (GatewayProcess gateway =
        GatewayProcess.start("no-deflate", Map.of("UVICORN_WS_PER_MESSAGE_DEFLATE", "false"))) {
      String response =
          WebSocketCompressionTest.upgrade(
              gateway.baseUri(), WebSocketCompressionTest.BROWSER_OFFER);

      assertThat(response).startsWith("HTTP/1.1 101");
      assertThat(WebSocketCompressionTest.extensions(response)).isEmpty();
    }
  }

  @Test
  void negotiatesPerMessageDeflateWhenItIsOnExplicitly() throws Exception {
    try (GatewayProcess gateway =
        GatewayProcess.start("deflate", Map.of("UVICORN_WS_PER_MESSAGE_DEFLATE", "true"))) {
      String response =
          WebSocketCompressionTest.upgrade(
              gateway.baseUri(), WebSocketCompressionTest.BROWSER_OFFER);

      assertThat(WebSocketCompressionTest.extensions(response))
          .hasValueSatisfying(e -> assertThat(e).startsWith("permessage-deflate"));
    }
  }
}
