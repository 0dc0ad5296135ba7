package io.realtimegateway.tool.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The SDK's transport of one MCP session, plus what SDK 2.1.0 lacks: telling the server that a
 * request is cancelled (MCP's {@code notifications/cancelled}). The SDK numbers its requests inside
 * its session and has no API to cancel one; but its session passes the caller's Reactor context on
 * to the transport when it sends a request. So a call puts a {@link CallMark} in that context, this
 * transport writes the id of the {@code tools/call} request into it, and a cancelled call sends the
 * notification with that id through the same transport.
 */
final class CancellableTransport implements McpClientTransport {

  /** MCP's notification method; the SDK has no constant for it. */
  static final String CANCELLED = "notifications/cancelled";

  private final McpClientTransport delegate;

  CancellableTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(handler);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest request
        && McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
      return Mono.deferContextual(
          context -> {
            context
                .<CallMark>getOrEmpty(CallMark.class)
                .ifPresent(mark -> mark.sent(request.id(), this));
            return delegate.sendMessage(message);
          });
    }
    return delegate.sendMessage(message);
  }

  /** Tells the server to stop working on the request {@code requestId}. */
  Mono<Void> cancel(Object requestId, String reason) {
    return delegate.sendMessage(
        new McpSchema.JSONRPCNotification(
            CANCELLED, Map.of("requestId", requestId, "reason", reason)));
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
    return delegate.unmarshalFrom(data, type);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
