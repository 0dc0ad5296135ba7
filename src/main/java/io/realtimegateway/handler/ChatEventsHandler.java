package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code events:chat {"chat_id", "data": {"type": "last_read_at"}}}: only the Open WebUI database
 * can store a chat's read time, so the gateway accepts the event and logs it at debug level.
 */
@ApplicationScoped
@SocketEvent("events:chat")
public class ChatEventsHandler implements SocketEventHandler {

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    Log.debugf("socket %s: events:chat is served by Open WebUI, ignored: %s", socket.id(), args);
    return Uni.createFrom().item(List.of());
  }
}
