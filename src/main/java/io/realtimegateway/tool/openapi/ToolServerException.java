package io.realtimegateway.tool.openapi;

/**
 * A call to a tool server (or a read of its spec) that did not give an answer: unreachable, too
 * slow, an answer too large, arguments that cannot make a request. The message is meant for the
 * model and the logs.
 */
public final class ToolServerException extends RuntimeException {

  public ToolServerException(String message) {
    super(message, null, false, false);
  }
}
