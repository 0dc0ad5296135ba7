package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FakeModelServer;
import io.realtimegateway.support.FakeModelServer.Reply;
import io.realtimegateway.support.FakeModelServer.ToolCall;
import io.realtimegateway.support.ModelServerProfile;
import io.realtimegateway.support.NodeClient;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.ToolsProfile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tools end to end with Node's socket.io-client as the browser ({@code
 * src/test/node/tool-call.e2e.mjs}): a direct tool runs in the tab ({@code execute:tool}) and its
 * ack reaches the model's second round; inline HTML of an OpenAPI tool server becomes {@code
 * embeds}; an MCP server's image becomes {@code files}; {@code status} events come in pairs, in
 * order; a stop during a slow tool ends the reply and the call.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class ToolCallWebClientTest {

  private static final FakeModelServer SERVER = ModelServerProfile.SERVER;

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void theWebClientSeesToolsRunTheirResultsAndAStop() throws Exception {
    SERVER.reset();
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")));
    SERVER.scriptNext(Reply.tokens(3, 100).withTokens(List.of("It ", "is ", "sunny.")));
    ToolsProfile.OPENAPI.clear();

    NodeClient.run(
        gateway,
        "tool-call.e2e.mjs",
        Map.of(
            "TOKEN",
            Tokens.valid("tool-web-user", "Tool Web"),
            "OPENAPI_TOOLS",
            "server:0",
            "MCP_TOOLS",
            "server:mcp:web",
            "MCP_PREFIX",
            "web"),
        "tool call e2e: all checks passed");

    JsonObject tool =
        (JsonObject) SERVER.completionRequests().get(1).body().getJsonArray("messages").getValue(2);
    assertThat(tool.getString("role")).isEqualTo("tool");
    assertThat(tool.getString("content")).contains("sunny").contains("Paris");
    assertThat(ToolsProfile.MCP.calls()).contains("render_chart");
    // The stop reached the tool server too: it saw the slow request closed before its answer.
    await().atMost(Duration.ofSeconds(5)).until(() -> !ToolsProfile.OPENAPI.slowClosed().isEmpty());
  }
}
