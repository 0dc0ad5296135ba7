package io.realtimegateway.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The result processor from a table: a raw result in, the events before the citation and the
 * model's text out. Limits are tiny so that caps show: 200 bytes of result, 8 bytes per file.
 */
class ToolResultProcessorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ToolResultProcessor PROCESSOR = new ToolResultProcessor(200, 8, JSON);

  /** 6 bytes decoded: within the file limit. */
  private static final String SMALL = "AAAAAAAA";

  /** 12 bytes decoded: over it. */
  private static final String LARGE = "AAAAAAAAAAAAAAAA";

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static ToolResult http(int status, Map<String, String> headers, JsonNode body) {
    return new ToolResult.Http(status, headers, body);
  }

  private static ToolResult mcp(boolean isError, String... parts) {
    List<JsonNode> content = new ArrayList<>();
    for (String part : parts) {
      content.add(json(part));
    }
    return new ToolResult.Mcp(content, null, isError);
  }

  static Stream<Arguments> results() {
    return Stream.of(
        Arguments.of(
            "JSON body goes back as compact JSON",
            http(
                200,
                Map.of("content-type", "application/json"),
                json("{'temp': 21, 'city': 'Oslo'}")),
            "[]",
            "{\"temp\":21,\"city\":\"Oslo\"}",
            false),
        Arguments.of(
            "text body goes back as it is",
            http(200, Map.of(), TextNode.valueOf("sunny")),
            "[]",
            "sunny",
            false),
        Arguments.of(
            "empty body says so",
            http(204, Map.of(), TextNode.valueOf("")),
            "[]",
            "The tool returned no content.",
            false),
        Arguments.of(
            "inline HTML becomes an embed and the model is told it was shown",
            http(
                200,
                Map.of("content-type", "text/html; charset=utf-8", "content-disposition", "inline"),
                TextNode.valueOf("<b>card</b>")),
            "[{'type': 'embeds', 'data': {'embeds': ['<b>card</b>']}}]",
            "show_card: the result is an HTML page, shown to the user embedded in the chat; it is"
                + " not repeated here.",
            false),
        Arguments.of(
            "HTML as an attachment goes back as text",
            http(
                200,
                Map.of(
                    "content-type",
                    "text/html",
                    "content-disposition",
                    "attachment; filename=a.html"),
                TextNode.valueOf("<b>card</b>")),
            "[]",
            "<b>card</b>",
            false),
        Arguments.of(
            "HTML without a disposition goes back as text",
            http(200, Map.of("content-type", "text/html"), TextNode.valueOf("<i>x</i>")),
            "[]",
            "<i>x</i>",
            false),
        Arguments.of(
            "inline HTML above the result limit is not embedded, and the model is told why",
            http(
                200,
                Map.of("content-type", "text/html", "content-disposition", "inline"),
                TextNode.valueOf("<p>" + "x".repeat(300) + "</p>")),
            "[]",
            "show_card: the result is an HTML page of 307 bytes, larger than the limit of 200 bytes"
                + " for results, so it was not shown to the user.",
            false),
        Arguments.of(
            "a Location header becomes an embed of that URL",
            http(302, Map.of("location", "https://example.test/view/1"), TextNode.valueOf("")),
            "[{'type': 'embeds', 'data': {'embeds': ['https://example.test/view/1']}}]",
            "show_card: the result is shown to the user as an embedded page"
                + " (https://example.test/view/1).",
            false),
        Arguments.of(
            "status 500 fails with the status and the body",
            http(500, Map.of(), json("{'detail': 'boom'}")),
            "[]",
            "Tool call failed (HTTP 500): {\"detail\":\"boom\"}",
            true),
        Arguments.of(
            "status 404 without a body fails with the status",
            http(404, Map.of(), TextNode.valueOf("")),
            "[]",
            "Tool call failed (HTTP 404).",
            true),
        Arguments.of(
            "a failure without a status of the tool's own shows its message",
            HttpToolResults.failed("The browser tab answered nothing."),
            "[]",
            "Tool call failed (HTTP 502): The browser tab answered nothing.",
            true),
        Arguments.of(
            "an image data URI in JSON becomes a file and [image]",
            http(200, Map.of(), json("{'chart': 'data:image/png;base64," + SMALL + "', 'n': 1}")),
            "[{'type': 'files', 'data': {'files': [{'type': 'image', 'url':"
                + " 'data:image/png;base64,"
                + SMALL
                + "'}]}}]",
            "{\"chart\":\"[image]\",\"n\":1}",
            false),
        Arguments.of(
            "image data URIs inside text, nested in lists, all become files of one event",
            http(
                200,
                Map.of(),
                json(
                    "{'a': ['see ![x](data:image/jpeg;base64,"
                        + SMALL
                        + ") here'], 'b': {'c': 'data:image/gif;base64,"
                        + SMALL
                        + "'}}")),
            "[{'type': 'files', 'data': {'files': [{'type': 'image', 'url': 'data:image/jpeg;base64,"
                + SMALL
                + "'}, {'type': 'image', 'url': 'data:image/gif;base64,"
                + SMALL
                + "'}]}}]",
            "{\"a\":[\"see ![x]([image]) here\"],\"b\":{\"c\":\"[image]\"}}",
            false),
        Arguments.of(
            "an image data URI above the file limit is refused in the model's text",
            http(200, Map.of(), json("{'chart': 'data:image/png;base64," + LARGE + "'}")),
            "[]",
            "{\"chart\":\"[image of 12 bytes not shown: larger than the limit of 8 bytes for"
                + " files]\"}",
            false),
        Arguments.of(
            "MCP JSON text is parsed",
            mcp(false, "{'type': 'text', 'text': '{\\'a\\': 1}'}"),
            "[]",
            "{\"a\":1}",
            false),
        Arguments.of(
            "MCP plain text stays text",
            mcp(false, "{'type': 'text', 'text': 'hello {world'}"),
            "[]",
            "hello {world",
            false),
        Arguments.of(
            "MCP image becomes a file",
            mcp(false, "{'type': 'image', 'data': '" + SMALL + "', 'mimeType': 'image/png'}"),
            "[{'type': 'files', 'data': {'files': [{'type': 'image', 'url': 'data:image/png;base64,"
                + SMALL
                + "'}]}}]",
            "[image]",
            false),
        Arguments.of(
            "MCP audio becomes a file, text and image beside it a list",
            mcp(
                false,
                "{'type': 'text', 'text': 'two things'}",
                "{'type': 'audio', 'data': '" + SMALL + "', 'mimeType': 'audio/mpeg'}",
                "{'type': 'image', 'data': '" + LARGE + "', 'mimeType': 'image/png'}"),
            "[{'type': 'files', 'data': {'files': [{'type': 'audio', 'url':"
                + " 'data:audio/mpeg;base64,"
                + SMALL
                + "'}]}}]",
            "[\"two things\",\"[audio]\",\"[image of 12 bytes not shown: larger than the limit of 8"
                + " bytes for files]\"]",
            false),
        Arguments.of(
            "MCP resources: text as text, others as links",
            mcp(
                false,
                "{'type': 'resource', 'resource': {'uri': 'file:///a.txt', 'text': 'contents'}}",
                "{'type': 'resource', 'resource': {'uri': 'file:///b.bin', 'mimeType': 'application/pdf',"
                    + " 'blob': 'AAAA'}}",
                "{'type': 'resource_link', 'uri': 'https://example.test/c', 'name': 'c'}"),
            "[]",
            "[\"contents\",\"[resource: file:///b.bin (application/pdf)]\",\"[resource c:"
                + " https://example.test/c]\"]",
            false),
        Arguments.of(
            "MCP isError fails the call",
            mcp(true, "{'type': 'text', 'text': 'no such city'}"),
            "[]",
            "Tool call failed: no such city",
            true),
        Arguments.of(
            "MCP structured content when there are no parts",
            new ToolResult.Mcp(List.of(), json("{'ok': true}"), false),
            "[]",
            "{\"ok\":true}",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void turnsResultsIntoEventsAndModelText(
      String name, ToolResult result, String events, String forModel, boolean failed) {
    ObjectNode arguments = (ObjectNode) json("{'city': 'Oslo'}");

    ProcessedToolResult processed = PROCESSOR.process("show_card", arguments, result);

    assertThat(processed.forModel()).isEqualTo(forModel);
    assertThat(processed.failed()).isEqualTo(failed);
    List<ToolEvent> all = processed.events();
    ArrayNode before = JSON.createArrayNode();
    all.subList(0, all.size() - 1)
        .forEach(event -> before.addObject().put("type", event.type()).set("data", event.data()));
    assertThat(before).isEqualTo(json(events));
    ToolEvent source = all.get(all.size() - 1);
    assertThat(source.type()).isEqualTo("source");
    assertThat(source.data())
        .isEqualTo(
            JSON.createObjectNode()
                .<ObjectNode>set("source", JSON.createObjectNode().put("name", "show_card"))
                .<ObjectNode>set("document", JSON.createArrayNode().add(forModel))
                .set(
                    "metadata",
                    JSON.createArrayNode()
                        .add(
                            JSON.createObjectNode()
                                .put("source", "show_card")
                                .set("parameters", arguments))));
  }

  @Test
  void capsWhatTheModelReadsWithAMarker() {
    String long1 = "é".repeat(500);

    ProcessedToolResult processed =
        PROCESSOR.process(
            "t", JSON.createObjectNode(), http(200, Map.of(), TextNode.valueOf(long1)));

    assertThat(processed.forModel().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(200);
    assertThat(processed.forModel())
        .startsWith("éé")
        .endsWith("[truncated: the result was 1000 bytes, only the first part is shown]");
    assertThat(processed.events().get(0).data().path("document").get(0).asText())
        .isEqualTo(processed.forModel());
  }

  static Stream<Arguments> acks() {
    return Stream.of(
        Arguments.of(
            "[{'temp': 3}, {'Content-Type': 'application/json'}]",
            200,
            "{'content-type': 'application/json'}",
            "{'temp': 3}"),
        Arguments.of("[[{'temp': 3}, null]]", 200, "{}", "{'temp': 3}"),
        Arguments.of(
            "['<b>x</b>', {'Content-Type': 'text/html', 'Content-Disposition': 'inline'}]",
            200,
            "{'content-type': 'text/html', 'content-disposition': 'inline'}",
            "'<b>x</b>'"),
        Arguments.of("[{'error': 'denied'}, null]", 502, "{}", "{'error': 'denied'}"),
        Arguments.of("{'error': 'denied'}", 502, "{}", "{'error': 'denied'}"),
        Arguments.of("[{'error': {'code': 1}}]", 502, "{}", "{'error': '{\\'code\\':1}'}"),
        Arguments.of("null", 502, "{}", "{'error': 'The browser tab answered nothing.'}"),
        Arguments.of(
            "[1, 2]",
            502,
            "{}",
            "{'error': 'The browser tab answered with headers that are not an object: expected"
                + " [responseData, responseHeaders].'}"),
        Arguments.of(
            "'text'",
            502,
            "{}",
            "{'error': 'The browser tab answered with an unexpected shape: expected [responseData,"
                + " responseHeaders] or [{\\'error\\': message}, null].'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acks")
  void readsBrowserAcksWithoutEverThrowing(String ack, int status, String headers, String body) {
    ToolResult.Http http = HttpToolResults.fromBrowserAck(json(ack));

    assertThat(http.status()).isEqualTo(status);
    assertThat((JsonNode) JSON.valueToTree(http.headers())).isEqualTo(json(headers));
    assertThat(http.body()).isEqualTo(json(body));
  }

  /** A tab's error answers, in the forms Open WebUI's client sends them (spec §4.2). */
  static Stream<Arguments> errorAcks() {
    return Stream.of(
        Arguments.of("[{'error': 'Permission denied by the user'}, null]"),
        Arguments.of("[{'error': 'Permission denied by the user'}, {}]"),
        Arguments.of("{'error': 'Permission denied by the user'}"),
        Arguments.of("[[{'error': 'Permission denied by the user'}, null]]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorAcks")
  void aTabsErrorAnswerIsAFailedCallThatTellsTheModelItsMessage(String ack) {
    ProcessedToolResult processed =
        PROCESSOR.process(
            "get_weather", JSON.createObjectNode(), HttpToolResults.fromBrowserAck(json(ack)));

    assertThat(processed.failed()).isTrue();
    assertThat(processed.forModel())
        .isEqualTo("Tool call failed (HTTP 502): Permission denied by the user");
  }

  @Test
  void readsAResponseBodyAsJsonWhenItIsJsonElseAsText() {
    assertThat(
            HttpToolResults.fromResponse(
                    200,
                    Map.of("Content-Type", "text/plain"),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                .body())
        .isEqualTo(json("{'a': 1}"));
    ToolResult.Http text =
        HttpToolResults.fromResponse(
            200, Map.of("X-A", "b"), "{oops".getBytes(StandardCharsets.UTF_8));
    assertThat(text.body()).isEqualTo(TextNode.valueOf("{oops"));
    assertThat(text.headers()).containsEntry("x-a", "b");
  }
}
