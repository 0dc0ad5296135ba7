package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * {@code usage {"action", "model", "chat_id"}} every second while a reply generates: marks the
 * model as in use by this sid. Only for sids in the session pool.
 */
@ApplicationScoped
@SocketEvent("usage")
public class UsageHandler implements SocketEventHandler {

  private final SessionPool sessions;
  private final UsagePool usage;

  public UsageHandler(SessionPool sessions, UsagePool usage) {
    this.sessions = sessions;
    this.usage = usage;
  }

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    JsonNode model = args.isEmpty() ? null : args.get(0).path("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) {
      Log.debugf("socket %s: usage without a model ignored", socket.id());
      return Uni.createFrom().item(List.of());
    }
    return sessions
        .get(socket.id())
        .chain(
            entry ->
                entry.isPresent()
                    ? usage.update(model.asText(), socket.id(), Instant.now().getEpochSecond())
                    : Uni.createFrom().voidItem())
        .map(ignored -> List.of());
  }
}
