package io.realtimegateway.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Open WebUI's {@code TOOL_SERVER_CONNECTIONS}, good and bad, never an exception. */
class ToolServerConnectionsTest {

  private static List<ToolServerConnection> parse(String json) {
    return ToolServerConnections.parse(json.replace('\'', '"'));
  }

  @Test
  void readsOpenApiAndMcpEntriesKeepingTheirIndex() {
    List<ToolServerConnection> connections =
        parse(
            "[{'url': 'http://tools:8000/', 'path': 'spec.json', 'auth_type': 'bearer', 'key': 'k',"
                + " 'config': {'enable': true}, 'info': {'id': 'a', 'name': 'Tools'}},"
                + " 'not an object',"
                + " {'type': 'mcp', 'url': 'https://mcp.example/mcp', 'auth_type': 'none'},"
                + " {'url': 'http://off', 'config': {'enable': false}},"
                + " {'url': 'http://plain'}]");

    assertThat(connections)
        .containsExactly(
            new ToolServerConnection(
                0,
                "openapi",
                "http://tools:8000",
                "spec.json",
                "bearer",
                Optional.of("k"),
                "a",
                "Tools"),
            new ToolServerConnection(
                2,
                "mcp",
                "https://mcp.example/mcp",
                "openapi.json",
                "none",
                Optional.empty(),
                "2",
                "https://mcp.example/mcp"),
            new ToolServerConnection(
                4,
                "openapi",
                "http://plain",
                "openapi.json",
                "bearer",
                Optional.empty(),
                "4",
                "http://plain"));
    assertThat(connections.get(1).isMcp()).isTrue();
  }

  @Test
  void skipsMalformedEntries() {
    assertThat(
            parse(
                "[{}, {'url': 'ftp://x'}, {'url': 'http://x', 'type': 'grpc'}, {'url': 'http://x',"
                    + " 'auth_type': 'session'}, {'url': 'http://x', 'key': 5}, {'url': ['http://x']},"
                    + " {'url': 'http://ok'}]"))
        .extracting(ToolServerConnection::index)
        .containsExactly(6);
  }

  @Test
  void malformedJsonOrNothingGivesNoServers() {
    assertThat(ToolServerConnections.parse(null)).isEmpty();
    assertThat(ToolServerConnections.parse(" ")).isEmpty();
    assertThat(ToolServerConnections.parse("[{'url'")).isEmpty();
    assertThat(ToolServerConnections.parse("{\"url\": \"http://x\"}")).isEmpty();
  }
}
