package io.realtimegateway.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.realtimegateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where what a tool returned becomes what the model reads and what the user's tabs
 * receive (Open WebUI's {@code process_tool_result}), for every kind of tool. Pure: no I/O.
 *
 * <ul>
 *   <li>HTTP status 400 and above: failed; the model reads the status and the body.
 *   <li>HTTP {@code Location}: an {@code embeds} event of that URL.
 *   <li>HTTP {@code text/html} with {@code Content-Disposition: inline}: an {@code embeds} event of
 *       the HTML; the model is told it was shown. Other HTML goes back as text.
 *   <li>MCP parts: {@code text} parsed as JSON where it is JSON, {@code image} / {@code audio} as
 *       {@code files} events ({@code data:} URLs up to the file size limit), {@code resource} as
 *       its text or a link; {@code isError} fails the call.
 *   <li>{@code data:image/...;base64,} URIs anywhere in a result: {@code files} events, and {@code
 *       [image]} in their place for the model.
 *   <li>Every result: a {@code source} event citing the tool, after the others.
 * </ul>
 *
 * What the model reads, the cited document and an embedded page are held to the result size limit
 * (text is cut with a marker saying so; a page that does not fit is not embedded, and the model is
 * told why); each file to the file size limit.
 */
@ApplicationScoped
public class ToolResultProcessor {

  /** A base64 image data URI, wherever it sits in a string. */
  private static final Pattern IMAGE_DATA_URI =
      Pattern.compile("data:(image/[A-Za-z0-9.+-]+);base64,([A-Za-z0-9+/]+={0,2})");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final long maxResultSize;
  private final long maxFileSize;
  private final ObjectMapper json;

  @Inject
  public ToolResultProcessor(GatewayConfig config, ObjectMapper json) {
    this(
        config.tools().maxResultSize().asLongValue(),
        config.tools().maxFileSize().asLongValue(),
        json);
  }

  /**
   * A processor with the given limits, for use outside CDI.
   *
   * @param maxResultSize most bytes (UTF-8) of what the model reads, the cited document and an
   *     embedded page
   * @param maxFileSize most bytes of one image or audio file (decoded)
   */
  public ToolResultProcessor(long maxResultSize, long maxFileSize, ObjectMapper json) {
    this.maxResultSize = maxResultSize;
    this.maxFileSize = maxFileSize;
    this.json = json;
  }

  /**
   * Turns one call's raw result into the model's text and the tabs' events.
   *
   * @param toolName the function the model called (names the citation)
   * @param arguments the model's arguments (cited as the call's parameters)
   */
  public ProcessedToolResult process(String toolName, ObjectNode arguments, ToolResult result) {
    Outcome outcome;
    if (result instanceof ToolResult.Http http) {
      outcome = http(toolName, http);
    } else if (result instanceof ToolResult.Mcp mcp) {
      outcome = mcp(mcp);
    } else {
      outcome = new Outcome();
      outcome.failed = true;
      outcome.text = "The tool returned nothing.";
    }
    String forModel = cap(outcome.text.isEmpty() ? "The tool returned no content." : outcome.text);
    List<ToolEvent> events = new ArrayList<>(outcome.events);
    events.add(source(toolName, arguments, forModel));
    return new ProcessedToolResult(forModel, events, outcome.failed);
  }

  /** What a result amounts to before the cap and the citation. */
  private static final class Outcome {
    final List<ToolEvent> events = new ArrayList<>();
    final List<ObjectNode> files = new ArrayList<>();
    String text = "";
    boolean failed;

    /** Gathers the files found so far into one {@code files} event, as Open WebUI sends them. */
    void flushFiles() {
      if (!files.isEmpty()) {
        ArrayNode list = NODES.arrayNode();
        files.forEach(list::add);
        events.add(new ToolEvent("files", NODES.objectNode().set("files", list)));
        files.clear();
      }
    }
  }

  private Outcome http(String toolName, ToolResult.Http http) {
    Outcome outcome = new Outcome();
    Map<String, String> headers = http.headers();
    JsonNode body = http.body() == null ? NODES.missingNode() : http.body();
    if (http.status() >= 400) {
      outcome.failed = true;
      JsonNode error = body.path("error");
      String detail =
          http.status() == HttpToolResults.FAILED_STATUS && body.size() == 1 && error.isTextual()
              ? error.asText()
              : text(body);
      outcome.text =
          "Tool call failed (HTTP "
              + http.status()
              + ")"
              + (detail.isEmpty() ? "." : ": " + detail);
      return outcome;
    }
    String location = headers.get("location");
    String contentType = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    String disposition =
        headers.getOrDefault("content-disposition", "").strip().toLowerCase(Locale.ROOT);
    if (location != null && !location.isBlank()) {
      outcome.events.add(embeds(location.strip()));
      String rest = text(body);
      outcome.text =
          toolName
              + ": the result is shown to the user as an embedded page ("
              + location.strip()
              + ")."
              + (rest.isBlank() ? "" : "\n" + rest);
      return outcome;
    }
    if (contentType.startsWith("text/html") && disposition.startsWith("inline")) {
      String html = text(body);
      long size = utf8Length(html);
      if (size <= maxResultSize) {
        outcome.events.add(embeds(html));
        outcome.text =
            toolName
                + ": the result is an HTML page, shown to the user embedded in the chat; it is not"
                + " repeated here.";
      } else {
        outcome.text =
            toolName
                + ": the result is an HTML page of "
                + size
                + " bytes, larger than the limit of "
                + maxResultSize
                + " bytes for results, so it was not shown to the user.";
      }
      return outcome;
    }
    outcome.text = text(extractImages(body, outcome));
    outcome.flushFiles();
    return outcome;
  }

  private Outcome mcp(ToolResult.Mcp mcp) {
    Outcome outcome = new Outcome();
    outcome.failed = mcp.isError();
    List<JsonNode> parts = new ArrayList<>();
    for (JsonNode part : mcp.content()) {
      parts.add(mcpPart(part, outcome));
    }
    JsonNode value;
    if (parts.isEmpty()) {
      value =
          mcp.structured() == null ? NODES.missingNode() : extractImages(mcp.structured(), outcome);
    } else if (parts.size() == 1) {
      value = parts.get(0);
    } else {
      ArrayNode list = NODES.arrayNode();
      parts.forEach(list::add);
      value = list;
    }
    outcome.flushFiles();
    String text = text(value);
    outcome.text = outcome.failed ? "Tool call failed: " + text : text;
    return outcome;
  }

  /** One MCP content part as the model sees it; its files join the outcome's. */
  private JsonNode mcpPart(JsonNode part, Outcome outcome) {
    String type = part.path("type").asText("");
    switch (type) {
      case "text":
        return extractImages(parseIfJson(part.path("text").asText("")), outcome);
      case "image":
      case "audio":
        return TextNode.valueOf(
            file(
                type,
                part.path("mimeType").asText(type.equals("image") ? "image/png" : "audio/wav"),
                part.path("data").asText(""),
                outcome));
      case "resource":
        JsonNode resource = part.path("resource");
        if (resource.path("text").isTextual()) {
          return TextNode.valueOf(resource.path("text").asText());
        }
        return TextNode.valueOf(link(resource));
      case "resource_link":
        return TextNode.valueOf(link(part));
      default:
        return part;
    }
  }

  private static String link(JsonNode resource) {
    String uri = resource.path("uri").asText("");
    String name = resource.path("name").asText(resource.path("title").asText(""));
    String mime = resource.path("mimeType").asText("");
    StringBuilder text = new StringBuilder("[resource");
    if (!name.isEmpty()) {
      text.append(' ').append(name);
    }
    text.append(": ").append(uri);
    if (!mime.isEmpty()) {
      text.append(" (").append(mime).append(')');
    }
    return text.append(']').toString();
  }

  /**
   * Adds one base64 file to the outcome when it fits the file size limit.
   *
   * @return what the model reads in its place
   */
  private String file(String type, String mime, String base64, Outcome outcome) {
    if (base64.isEmpty()) {
      return "[" + type + " without data]";
    }
    long size = decodedLength(base64);
    if (size > maxFileSize) {
      return "["
          + type
          + " of "
          + size
          + " bytes not shown: larger than the limit of "
          + maxFileSize
          + " bytes for files]";
    }
    outcome.files.add(
        NODES.objectNode().put("type", type).put("url", "data:" + mime + ";base64," + base64));
    return "[" + type + "]";
  }

  /** A copy of {@code node} whose image data URIs became files and {@code [image]} markers. */
  private JsonNode extractImages(JsonNode node, Outcome outcome) {
    if (node.isTextual()) {
      String text = node.asText();
      if (!text.contains("data:image/")) {
        return node;
      }
      Matcher matcher = IMAGE_DATA_URI.matcher(text);
      StringBuilder replaced = new StringBuilder();
      while (matcher.find()) {
        matcher.appendReplacement(
            replaced,
            Matcher.quoteReplacement(file("image", matcher.group(1), matcher.group(2), outcome)));
      }
      matcher.appendTail(replaced);
      return TextNode.valueOf(replaced.toString());
    }
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), extractImages(field.getValue(), outcome));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(element -> copy.add(extractImages(element, outcome)));
      return copy;
    }
    return node;
  }

  private JsonNode parseIfJson(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        return json.readTree(trimmed);
      } catch (JsonProcessingException notJson) {
        // falls through: text that merely starts like JSON is shown as it is
      }
    }
    return TextNode.valueOf(text);
  }

  /** The model's text of a value: strings as they are, anything else as compact JSON. */
  private String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "";
    }
    if (node.isTextual()) {
      return node.asText();
    }
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }

  private static ToolEvent embeds(String embed) {
    ObjectNode data = NODES.objectNode();
    data.putArray("embeds").add(embed);
    return new ToolEvent("embeds", data);
  }

  private static ToolEvent source(String toolName, ObjectNode arguments, String document) {
    ObjectNode data = NODES.objectNode();
    data.putObject("source").put("name", toolName);
    data.putArray("document").add(document);
    ObjectNode metadata = data.putArray("metadata").addObject().put("source", toolName);
    metadata.set("parameters", arguments == null ? NODES.objectNode() : arguments.deepCopy());
    return new ToolEvent("source", data);
  }

  /**
   * Cuts {@code text} to the result size limit in UTF-8 bytes, marker included, never inside a
   * character.
   */
  String cap(String text) {
    long size = utf8Length(text);
    if (size <= maxResultSize) {
      return text;
    }
    String marker =
        "\n[truncated: the result was " + size + " bytes, only the first part is shown]";
    long budget = Math.max(0, maxResultSize - utf8Length(marker));
    int end = 0;
    long used = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int bytes = utf8Length(codePoint);
      if (used + bytes > budget) {
        break;
      }
      used += bytes;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end) + marker;
  }

  private static long utf8Length(String text) {
    long length = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      length += utf8Length(codePoint);
      i += Character.charCount(codePoint);
    }
    return length;
  }

  private static int utf8Length(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }

  private static long decodedLength(String base64) {
    int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    return (long) base64.length() * 3 / 4 - padding;
  }
}
