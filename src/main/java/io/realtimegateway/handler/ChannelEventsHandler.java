package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.realtimegateway.socket.SocketServer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * {@code events:channel {"channel_id", "message_id", "data": {"type", "data"}}}. {@code typing} is
 * broadcast to the channel room, sender included, with the sender's {@code {id, name, role}}.
 * {@code last_read_at} only the Open WebUI database can store: accepted and logged at debug.
 */
@ApplicationScoped
@SocketEvent("events:channel")
public class ChannelEventsHandler implements SocketEventHandler {

  private final SessionPool sessions;
  private final SocketServer server;

  public ChannelEventsHandler(SessionPool sessions, SocketServer server) {
    this.sessions = sessions;
    this.server = server;
  }

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    JsonNode payload = args.isEmpty() ? JsonNodeFactory.instance.objectNode() : args.get(0);
    JsonNode channelId = payload.path("channel_id");
    String type = payload.path("data").path("type").asText("");
    var user = SocketUsers.user(socket);
    if (!channelId.isTextual() || user.isEmpty()) {
      Log.debugf("socket %s: events:channel without channel or user ignored", socket.id());
      return Uni.createFrom().item(List.of());
    }
    String room = "channel:" + channelId.asText();
    if (!socket.rooms().contains(room)) {
      Log.debugf("socket %s: events:channel for %s, not a member, ignored", socket.id(), room);
      return Uni.createFrom().item(List.of());
    }
    if ("last_read_at".equals(type)) {
      Log.debugf(
          "socket %s: last_read_at for %s is stored by Open WebUI, ignored", socket.id(), room);
      return Uni.createFrom().item(List.of());
    }
    if (!"typing".equals(type)) {
      return Uni.createFrom().item(List.of());
    }
    return sessions
        .get(socket.id())
        .map(
            entry -> {
              if (entry.isPresent()) {
                ObjectNode event = JsonNodeFactory.instance.objectNode();
                event.set("channel_id", channelId);
                event.set(
                    "message_id",
                    payload.path("message_id").isMissingNode()
                        ? JsonNodeFactory.instance.nullNode()
                        : payload.get("message_id"));
                event.set("data", payload.path("data"));
                event.set("user", user.get().nameResponse());
                server.broadcast(
                    socket.namespace(),
                    BroadcastTarget.toRooms(Set.of(room)),
                    "events:channel",
                    event);
              }
              return List.of();
            });
  }
}
