package io.realtimegateway.support;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link ModelServerProfile} with the tool settings shortened (a browser tab has 2 s to answer a
 * tool call, and a reply may make two rounds of tool calls) and two server-side tool servers of its
 * own in {@code TOOL_SERVER_CONNECTIONS}: {@link #OPENAPI} ({@code server:0}) and {@link #MCP}
 * ({@code server:mcp:web}, its tools named {@code web_<tool>}).
 */
public class ToolsProfile extends ModelServerProfile {

  /** The OpenAPI tool server of connection 0. */
  public static final FakeToolServer OPENAPI = FakeToolServer.start();

  /** The MCP server of connection {@code web}. */
  public static final FakeMcpServer MCP = FakeMcpServer.start();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
    overrides.put("gateway.caller.timeout", "2s");
    overrides.put("gateway.tools.max-rounds", "2");
    overrides.put(
        "gateway.tools.server-connections",
        "[{\"url\": \""
            + OPENAPI.baseUrl()
            + "\", \"path\": \"openapi.json\", \"auth_type\": \"bearer\", \"key\": \""
            + FakeToolServer.KEY
            + "\"},"
            + " {\"type\": \"mcp\", \"url\": \""
            + MCP.url()
            + "\", \"auth_type\": \"none\", \"info\": {\"id\": \"web\"}}]");
    return overrides;
  }
}
