package io.realtimegateway.e2e;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.NodeClient;
import io.realtimegateway.support.Tokens;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A chat reply of the built-in echo model, end to end with Node's socket.io-client 4.8 configured
 * as the Open WebUI web client: {@code src/test/node/echo-completion.e2e.mjs} posts the completion
 * with its socket id and checks every streamed {@code chat:completion} and the final one.
 */
@QuarkusTest
class EchoCompletionWebClientTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void webClientReceivesTheEchoReplyStreamedAndFinished() throws Exception {
    NodeClient.run(
        gateway,
        "echo-completion.e2e.mjs",
        Map.of("TOKEN", Tokens.valid("echo-web-user", "Echo Web")),
        "echo completion e2e: all checks passed");
  }
}
