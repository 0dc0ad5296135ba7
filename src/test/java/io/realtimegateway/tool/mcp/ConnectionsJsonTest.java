package io.realtimegateway.tool.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.tool.ToolServerConnection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading {@code TOOL_SERVER_CONNECTIONS}: Open WebUI's fields, defaults, bad input. */
class ConnectionsJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsOpenWebUisFieldsWithTheirDefaults() {
    List<ToolServerConnection> connections =
        parse(
            """
            [{"url": "http://tools:8000", "key": "k1"},
             {"type": "mcp", "url": "http://mcp:9000/mcp", "auth_type": "none",
              "info": {"id": "files", "name": "Files"}, "config": {"enable": true}}]
            """);

    assertThat(connections)
        .containsExactly(
            new ToolServerConnection(
                0,
                "openapi",
                "http://tools:8000",
                "openapi.json",
                "bearer",
                Optional.of("k1"),
                "0",
                "http://tools:8000"),
            new ToolServerConnection(
                1,
                "mcp",
                "http://mcp:9000/mcp",
                "openapi.json",
                "none",
                Optional.empty(),
                "files",
                "Files"));
    assertThat(connections.get(1).isMcp()).isTrue();
  }

  @Test
  void skipsAnEntryWithoutUrlAndKeepsTheOthersIndexes() {
    assertThat(parse("[{\"type\": \"mcp\"}, {\"url\": \"http://b\"}]"))
        .extracting(ToolServerConnection::index, ToolServerConnection::url)
        .containsExactly(tuple(1, "http://b"));
  }

  @Test
  void badInputGivesNoConnections() {
    assertThat(parse("not json")).isEmpty();
    assertThat(parse("{\"url\": \"http://a\"}")).isEmpty();
    assertThat(parse("  ")).isEmpty();
    assertThat(ConnectionsJson.parse(Optional.empty(), JSON)).isEmpty();
  }

  private static List<ToolServerConnection> parse(String json) {
    return ConnectionsJson.parse(Optional.of(json), JSON);
  }
}
