package io.realtimegateway.e2e;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.NodeClient;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Node's socket.io-client 4.8, configured as the Open WebUI web client, against the gateway: the
 * script {@code src/test/node/openwebui-client.e2e.mjs} connects, joins, heartbeats, receives an
 * {@code events} emit, answers a call and reports usage, checking every answer itself: over
 * WebSocket (the web client's default), over long-polling alone, and upgrading from polling.
 */
@QuarkusTest
class OpenWebUiWebClientTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void unmodifiedWebClientWorksEndToEnd() throws Exception {
    NodeClient.run(
        gateway,
        "openwebui-client.e2e.mjs",
        Map.of("TOKEN", Tokens.valid("webclient-user", "Web Client"), "USER_ID", "webclient-user"),
        "open-webui client e2e: all checks passed");
  }

  @Test
  void webClientWorksEndToEndOverLongPolling() throws Exception {
    NodeClient.run(
        gateway,
        "openwebui-client.e2e.mjs",
        Map.of(
            "TOKEN",
            Tokens.valid("webclient-polling", "Web Client"),
            "USER_ID",
            "webclient-polling",
            "TRANSPORTS",
            "polling"),
        "open-webui client e2e: all checks passed");
  }

  @Test
  void webClientWorksEndToEndAfterUpgradingFromPolling() throws Exception {
    NodeClient.run(
        gateway,
        "openwebui-client.e2e.mjs",
        Map.of(
            "TOKEN",
            Tokens.valid("webclient-upgrade", "Web Client"),
            "USER_ID",
            "webclient-upgrade",
            "TRANSPORTS",
            "polling,websocket"),
        "open-webui client e2e: all checks passed");
  }
}
