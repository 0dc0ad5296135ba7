package io.realtimegateway.tool.mcp;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** Bridges the MCP SDK's Reactor {@link Mono}s to Mutiny. */
final class Monos {

  private Monos() {}

  /**
   * A lazy {@link Uni} of the Mono: the Mono is built and subscribed at each subscription, and
   * cancelling the Uni disposes the Reactor subscription (so an operator such as the SDK's request
   * timeout stops too). The item arrives on whichever thread the SDK completes on (its HTTP
   * client's), never on the caller's Vert.x context: callers hop back themselves.
   */
  static <T> Uni<T> toUni(Supplier<Mono<T>> mono) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Disposable subscription =
                  mono.get()
                      .subscribe(emitter::complete, emitter::fail, () -> emitter.complete(null));
              // Runs on completion too, where disposing is a no-op; it matters on cancellation.
              emitter.onTermination(subscription::dispose);
            });
  }
}
