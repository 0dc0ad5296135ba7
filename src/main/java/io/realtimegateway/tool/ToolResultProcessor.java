package io.realtimegateway.tool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Turns what a tool answered into what the model reads and what the user's tabs receive.
 * PLACEHOLDER of the integration branch: replaced by the full processor of branch tools-openapi.
 */
@ApplicationScoped
public class ToolResultProcessor {

  /** The result of one call. */
  public ProcessedToolResult process(String toolName, ObjectNode arguments, ToolResult result) {
    String text;
    boolean failed;
    if (result instanceof ToolResult.Http http) {
      text = http.body().isTextual() ? http.body().asText() : http.body().toString();
      failed = http.status() >= 400;
    } else {
      ToolResult.Mcp mcp = (ToolResult.Mcp) result;
      text = mcp.content().toString();
      failed = mcp.isError();
    }
    ObjectNode source = JsonNodeFactory.instance.objectNode();
    source.putObject("source").put("name", toolName);
    source.putArray("document").add(text);
    source.putArray("metadata").addObject().put("source", toolName).set("parameters", arguments);
    return new ProcessedToolResult(text, List.of(new ToolEvent("source", source)), failed);
  }
}
