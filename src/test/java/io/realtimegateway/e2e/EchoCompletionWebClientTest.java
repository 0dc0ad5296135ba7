package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A chat reply of the built-in echo model, end to end with Node's socket.io-client 4.8 configured
 * as the Open WebUI web client: {@code src/test/node/echo-completion.e2e.mjs} posts the completion
 * with its socket id and checks every streamed {@code chat:completion} and the final one.
 */
@QuarkusTest
class EchoCompletionWebClientTest {

  private static final Path CLIENT_DIR = Path.of("src", "test", "node");

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void webClientReceivesTheEchoReplyStreamedAndFinished() throws Exception {
    assertThat(CLIENT_DIR.resolve("node_modules/socket.io-client"))
        .as("run `npm ci --prefix src/test/node` first (the README test command does)")
        .exists();
    Path log = Files.createTempFile("echo-completion", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "echo-completion.e2e.mjs")
            .directory(CLIENT_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("GATEWAY_URL", gateway.toString().replaceAll("/+$", ""));
    builder.environment().put("TOKEN", Tokens.valid("echo-web-user", "Echo Web"));
    Process node = start(builder);
    boolean finished = node.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("node client finished in time; output:%n%s", output).isTrue();
    assertThat(node.exitValue()).as("node client exit code; output:%n%s", output).isZero();
    assertThat(output).contains("echo completion e2e: all checks passed");
  }

  private static Process start(ProcessBuilder builder) throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException("node is required for this test (apt-get install nodejs npm)", e);
    }
  }
}
