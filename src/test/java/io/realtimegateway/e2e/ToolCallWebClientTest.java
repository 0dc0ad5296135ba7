package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A direct tool call end to end with Node's socket.io-client as the browser ({@code
 * src/test/node/tool-call.e2e.mjs}): the tab gets {@code execute:tool}, its ack reaches the model's
 * second round.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class ToolCallWebClientTest {

  private static final FakeModelServer SERVER = ModelServerProfile.SERVER;

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void theWebClientRunsTheToolAndTheModelReadsItsResult() throws Exception {
    SERVER.reset();
    SERVER.scriptNext(
        Reply.tokens(0, 100)
            .withTokens(List.of())
            .withToolCalls(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")));
    SERVER.scriptNext(Reply.tokens(3, 100).withTokens(List.of("It ", "is ", "sunny.")));

    NodeClient.run(
        gateway,
        "tool-call.e2e.mjs",
        Map.of("TOKEN", Tokens.valid("tool-web-user", "Tool Web")),
        "tool call e2e: all checks passed");

    JsonObject tool =
        (JsonObject) SERVER.completionRequests().get(1).body().getJsonArray("messages").getValue(2);
    assertThat(tool.getString("role")).isEqualTo("tool");
    assertThat(tool.getString("content")).contains("sunny").contains("Paris");
  }
}
