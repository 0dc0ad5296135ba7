package io.realtimegateway.bench.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes the client WebSockets received off the wire: the kernel's TCP count ({@code ss -tin},
 * {@code bytes_received} of each established socket from this machine to the server's port), summed
 * over the sockets whose local port is one of the clients'. So it is what the server sent as it
 * went out: WebSocket frames with their headers, compressed when permessage-deflate was negotiated
 * (Vert.x inflates them before the client sees a message, and its metrics SPI reports decoded
 * sizes, in 4 KiB steps, so neither can count this). The backend's HTTP requests to the same port
 * are left out by their local ports.
 */
final class WireBytes {

  private static final Pattern LOCAL_PORT =
      Pattern.compile("^\\S+\\s+\\S+\\s+\\S*:(\\d+)\\s+\\S*:\\d+\\s*$");
  private static final Pattern RECEIVED = Pattern.compile("bytes_received:(\\d+)");

  private WireBytes() {}

  /**
   * Sum of {@code bytes_received} of the established sockets to {@code serverPort} whose local port
   * is in {@code localPorts}; -1 when {@code ss} is missing or fails.
   */
  static long received(int serverPort, Set<Integer> localPorts) {
    Process ss;
    try {
      ss =
          new ProcessBuilder(
                  "ss", "-tinH", "state", "established", "( dport = :" + serverPort + " )")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      Log.warn("ss not available: %s", e.getMessage());
      return -1;
    }
    String output;
    try (InputStream in = ss.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!ss.waitFor(30, TimeUnit.SECONDS) || ss.exitValue() != 0) {
        ss.destroyForcibly();
        return -1;
      }
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    return sum(output, localPorts);
  }

  /** Parses {@code ss -tinH}: a socket's address line, then its indented info line. */
  static long sum(String ssOutput, Set<Integer> localPorts) {
    long total = 0;
    boolean counted = false;
    for (String line : ssOutput.split("\n")) {
      Matcher address = LOCAL_PORT.matcher(line);
      if (!line.startsWith("\t") && !line.startsWith(" ") && address.matches()) {
        counted = localPorts.contains(Integer.parseInt(address.group(1)));
        continue;
      }
      if (counted) {
        Matcher received = RECEIVED.matcher(line);
        if (received.find()) {
          total += Long.parseLong(received.group(1));
          counted = false;
        }
      }
    }
    return total;
  }
}
