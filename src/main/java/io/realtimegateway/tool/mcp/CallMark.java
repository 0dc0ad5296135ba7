package io.realtimegateway.tool.mcp;

import io.quarkus.logging.Log;
import reactor.util.context.Context;

/**
 * One {@code tools/call} of the gateway, in the Reactor context of the SDK's request: which request
 * id it was sent as, and on which session's transport, so that the call can be cancelled on the
 * server too (see {@link CancellableTransport}).
 */
final class CallMark {

  private volatile Object requestId;
  private volatile CancellableTransport transport;

  /** The context a call is subscribed with. */
  Context context() {
    return Context.of(CallMark.class, this);
  }

  void sent(Object requestId, CancellableTransport transport) {
    this.transport = transport;
    this.requestId = requestId;
  }

  /**
   * Sends {@code notifications/cancelled} for the call, once it was sent; a call not sent yet has
   * nothing to cancel on the server. A failure to send is only logged: the call is over for the
   * gateway either way.
   */
  void cancel(String server, String tool) {
    Object id = requestId;
    CancellableTransport sentOn = transport;
    if (id == null || sentOn == null) {
      return;
    }
    sentOn
        .cancel(
            id, "The gateway no longer waits for this call (the reply was stopped or timed out).")
        .subscribe(
            ignored -> {},
            failure ->
                Log.debugf(
                    "MCP server %s: the cancellation of %s (request %s) was not sent: %s",
                    server, tool, id, failure.toString()));
  }
}
