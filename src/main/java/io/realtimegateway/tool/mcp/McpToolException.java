package io.realtimegateway.tool.mcp;

/**
 * A call to an MCP tool that failed before it gave a result; its message says why, for the model
 * and the status event.
 */
final class McpToolException extends RuntimeException {

  McpToolException(String message) {
    super(message, null, false, false);
  }

  McpToolException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
