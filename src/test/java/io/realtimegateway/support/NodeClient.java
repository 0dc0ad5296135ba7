package io.realtimegateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code src/test/node} (Node's socket.io-client 4.8, set up as the Open WebUI web
 * client) against the gateway and checks that it finished, exited 0 and printed its success line.
 * The script checks every answer itself; {@code GATEWAY_URL} and the given variables are its input.
 */
public final class NodeClient {

  private static final Path CLIENT_DIR = Path.of("src", "test", "node");

  private NodeClient() {}

  /**
   * Runs {@code script}; fails the test with its output unless it printed {@code success}. Returns
   * the output.
   */
  public static String run(URI gateway, String script, Map<String, String> env, String success)
      throws IOException, InterruptedException {
    assertThat(CLIENT_DIR.resolve("node_modules/socket.io-client"))
        .as("run `npm ci --prefix src/test/node` first (the README test command does)")
        .exists();
    Path log = Files.createTempFile(script, ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", script)
            .directory(CLIENT_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("GATEWAY_URL", gateway.toString().replaceAll("/+$", ""));
    builder.environment().putAll(env);
    Process node;
    try {
      node = builder.start();
    } catch (IOException e) {
      throw new IOException("node is required for this test (apt-get install nodejs npm)", e);
    }
    boolean finished = node.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("node client finished in time; output:%n%s", output).isTrue();
    assertThat(node.exitValue()).as("node client exit code; output:%n%s", output).isZero();
    assertThat(output).contains(success);
    return output;
  }
}
