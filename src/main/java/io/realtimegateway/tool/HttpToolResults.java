package io.realtimegateway.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds {@link ToolResult.Http} from what an HTTP tool answered: a server-side tool server's
 * response, or a browser tab's ack for a direct tool server. Never throws: an answer of the wrong
 * shape becomes a failed result ({@link #FAILED_STATUS}) that the model reads.
 */
public final class HttpToolResults {

  /**
   * The status of a result that failed without an HTTP status of the tool's own (a tab's error, an
   * ack of the wrong shape). 502 because the gateway stands between the model and a tool that did
   * not answer properly; {@link ToolResultProcessor} shows the model the {@code error} text.
   */
  public static final int FAILED_STATUS = 502;

  // Plain parsing of what a tool sent: no module or setting of the application's mapper matters.
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpToolResults() {}

  /**
   * A failed result: status {@link #FAILED_STATUS}, body {@code {"error": message}}.
   *
   * @param message what the model is told
   */
  public static ToolResult.Http failed(String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", message);
    return new ToolResult.Http(FAILED_STATUS, Map.of(), body);
  }

  /**
   * Reads a tab's ack to {@code execute:tool}. Open WebUI's client answers {@code [responseData,
   * responseHeaders]} (headers an object or null) on success and {@code [{"error": msg}, null]} on
   * failure; {@code {"error": msg}} alone is read as a failure too, and a one-element list holding
   * one of these (an event caller's list of ack arguments) is unwrapped. Anything else is a failed
   * result saying what was expected.
   */
  public static ToolResult.Http fromBrowserAck(JsonNode ack) {
    if (ack == null || ack.isNull() || ack.isMissingNode()) {
      return failed("The browser tab answered nothing.");
    }
    if (ack.isArray() && ack.size() == 1 && (ack.get(0).isArray() || isError(ack.get(0)))) {
      return fromBrowserAck(ack.get(0));
    }
    if (isError(ack)) {
      return failed(errorText(ack.get("error")));
    }
    if (ack.isArray() && ack.size() == 2) {
      JsonNode data = ack.get(0);
      JsonNode headers = ack.get(1);
      if (isError(data) && (headers.isNull() || headers.isEmpty())) {
        return failed(errorText(data.get("error")));
      }
      if (!headers.isNull() && !headers.isObject()) {
        return failed(
            "The browser tab answered with headers that are not an object: expected"
                + " [responseData, responseHeaders].");
      }
      Map<String, String> lower = new HashMap<>();
      if (headers.isObject()) {
        headers
            .fields()
            .forEachRemaining(
                header ->
                    lower.put(
                        header.getKey().toLowerCase(Locale.ROOT),
                        header.getValue().isTextual()
                            ? header.getValue().asText()
                            : header.getValue().toString()));
      }
      return new ToolResult.Http(200, lower, data);
    }
    return failed(
        "The browser tab answered with an unexpected shape: expected [responseData,"
            + " responseHeaders] or [{\"error\": message}, null].");
  }

  /**
   * An HTTP response of a tool server: the body parsed as JSON when it is JSON (whatever the
   * content type says, as tool servers often omit it), else as text (UTF-8).
   *
   * @param headers response headers; names are put in lower case
   */
  public static ToolResult.Http fromResponse(int status, Map<String, String> headers, byte[] body) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    return new ToolResult.Http(status, lower, parseBody(body));
  }

  private static JsonNode parseBody(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String trimmed = text.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith("\"")) {
      try {
        return JSON.readTree(trimmed);
      } catch (JsonProcessingException notJson) {
        // falls through: a body that looks like JSON but is not is still worth showing as text
      }
    }
    return TextNode.valueOf(text);
  }

  private static boolean isError(JsonNode node) {
    return node != null && node.isObject() && node.has("error");
  }

  private static String errorText(JsonNode error) {
    return error.isTextual() ? error.asText() : error.toString();
  }
}
