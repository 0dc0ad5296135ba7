package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate by default ({@code UVICORN_WS_PER_MESSAGE_DEFLATE} unset = true, Open WebUI
 * 0.11.4), as a browser's upgrade request offers it; the older {@code deflate-frame} never.
 * WebSocketCompressionIT starts the packaged gateway with the variable set to false.
 */
@QuarkusTest
class WebSocketCompressionTest {

  /** What Chrome and Firefox send. */
  static final String BROWSER_OFFER = "permessage-deflate; client_max_window_bits";

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void negotiatesPerMessageDeflateWhenTheClientOffersIt() throws IOException {
    String response = upgrade(gateway, BROWSER_OFFER);

    assertThat(response).startsWith("HTTP/1.1 101");
    assertThat(extensions(response))
        .hasValueSatisfying(e -> assertThat(e).startsWith("permessage-deflate"));
  }

  @Test
  void negotiatesNothingWhenTheClientOffersNothing() throws IOException {
    String response = upgrade(gateway, null);

    assertThat(response).startsWith("HTTP/1.1 101");
    assertThat(extensions(response)).isEmpty();
  }

  @Test
  void neverNegotiatesDeflateFrame() throws IOException {
    String response = upgrade(gateway, "x-webkit-deflate-frame, deflate-frame");

    assertThat(response).startsWith("HTTP/1.1 101");
    assertThat(extensions(response)).isEmpty();
  }

  /**
   * Sends an Engine.IO WebSocket upgrade request offering {@code extensions} (none when null) and
   * answers the response's status line and headers.
   */
  static String upgrade(URI base, String extensions) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    StringBuilder request =
        new StringBuilder()
            .append("GET /ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n")
            .append("Host: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\n")
            .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Version: 13\r\n")
            .append("Sec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(nonce))
            .append("\r\n");
    if (extensions != null) {
      request.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
    }
    request.append("\r\n");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
          break;
        }
      }
      return head.toString(StandardCharsets.US_ASCII);
    }
  }

  /** The value of {@code Sec-WebSocket-Extensions} in a response head, if there is one. */
  static Optional<String> extensions(String response) {
    return response
        .lines()
        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst();
  }
}
