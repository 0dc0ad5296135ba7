package io.realtimegateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * {@code TOOL_SERVER_CONNECTIONS} with three MCP servers and one OpenAPI entry, and a short call
 * timeout:
 *
 * <ul>
 *   <li>{@code tools}: {@link #TOOLS}, bearer key {@link #KEY};
 *   <li>{@code crashy}: a server on {@link #CRASHY_PORT} that a test kills and starts again;
 *   <li>{@code later}: nothing listens on {@link #LATER_PORT} at start-up;
 *   <li>an OpenAPI server (index 3), which is not the MCP provider's.
 * </ul>
 */
public class McpServersProfile implements QuarkusTestProfile {

  /** The bearer key of {@link #TOOLS}. */
  public static final String KEY = "mcp-test-key";

  /** The server of connection {@code tools}. */
  public static final FakeMcpServer TOOLS = FakeMcpServer.start(0, KEY);

  /** The port of connection {@code crashy}; a test starts its server. */
  public static final int CRASHY_PORT = FakeMcpServer.freePort();

  /** The port of connection {@code later}, down at start-up. */
  public static final int LATER_PORT = FakeMcpServer.freePort();

  /** The call timeout of the profile. */
  public static final String CALL_TIMEOUT = "2s";

  @Override
  public Map<String, String> getConfigOverrides() {
    String connections =
        "["
            + "{\"type\":\"mcp\",\"url\":\""
            + TOOLS.url()
            + "\",\"auth_type\":\"bearer\",\"key\":\""
            + KEY
            + "\",\"info\":{\"id\":\"tools\",\"name\":\"Fake tools\"}},"
            + "{\"type\":\"mcp\",\"url\":\"http://127.0.0.1:"
            + CRASHY_PORT
            + "/mcp\",\"auth_type\":\"none\",\"info\":{\"id\":\"crashy\",\"name\":\"Crashy\"}},"
            + "{\"type\":\"mcp\",\"url\":\"http://127.0.0.1:"
            + LATER_PORT
            + "/mcp\",\"auth_type\":\"none\",\"info\":{\"id\":\"later\",\"name\":\"Later\"}},"
            + "{\"url\":\"http://127.0.0.1:1\",\"path\":\"openapi.json\",\"auth_type\":\"none\"}"
            + "]";
    return Map.of(
        "gateway.tools.server-connections",
        connections,
        "gateway.tools.call-timeout",
        CALL_TIMEOUT,
        "gateway.tools.refresh-interval",
        "1h");
  }
}
