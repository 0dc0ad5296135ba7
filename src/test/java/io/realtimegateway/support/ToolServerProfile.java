package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Points {@code TOOL_SERVER_CONNECTIONS} at the shared {@link FakeToolServer}: entry 0 its good
 * spec (bearer key), 1 its broken spec, 2 an MCP entry, 3 malformed, 4 a server nobody listens on.
 * Calls time out after 3 s.
 */
public class ToolServerProfile implements QuarkusTestProfile {

  /** The tool server of every test in this profile. */
  public static final FakeToolServer SERVER = FakeToolServer.start();

  /** A loopback port nothing listens on. */
  public static final int DEAD_PORT = freePort();

  @Override
  public Map<String, String> getConfigOverrides() {
    String base = SERVER.baseUrl();
    String connections =
        "["
            + "{\"url\": \""
            + base
            + "/\", \"path\": \"openapi.json\", \"auth_type\": \"bearer\","
            + " \"key\": \""
            + FakeToolServer.KEY
            + "\", \"info\": {\"name\": \"fake tools\"}},"
            + "{\"url\": \""
            + base
            + "\", \"path\": \"/broken.json\", \"key\": \""
            + FakeToolServer.KEY
            + "\", \"info\": {\"name\": \"broken tools\"}},"
            + "{\"type\": \"mcp\", \"url\": \""
            + base
            + "/mcp\", \"info\": {\"id\": \"m1\"}},"
            + "{\"path\": \"openapi.json\"},"
            + "{\"url\": \"http://127.0.0.1:"
            + DEAD_PORT
            + "\", \"auth_type\": \"none\","
            + " \"info\": {\"name\": \"dead tools\"}}"
            + "]";
    return Map.of(
        "gateway.tools.server-connections", connections, "gateway.tools.call-timeout", "3s");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
