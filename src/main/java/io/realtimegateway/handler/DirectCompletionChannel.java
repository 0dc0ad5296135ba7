package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Where the chunks of a direct connection go: to the Open WebUI instance waiting for them. Only
 * Redis connects the gateway to those instances; without it no one here waits for a chunk.
 */
public interface DirectCompletionChannel {

  /** Passes a chunk on; {@code channel} is the event name. */
  Uni<Void> publish(String channel, JsonNode data);

  /** Memory mode: no Open WebUI instance can be waiting in this process. */
  DirectCompletionChannel NONE =
      (channel, data) -> {
        Log.debugf("direct completion chunk for %s dropped: no Redis to relay it", channel);
        return Uni.createFrom().voidItem();
      };
}
