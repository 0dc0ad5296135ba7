package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * {@code heartbeat {}} every 30 s: refreshes {@code last_seen_at}. Like Open WebUI it does not
 * recreate an entry the reaper removed.
 */
@ApplicationScoped
@SocketEvent("heartbeat")
public class HeartbeatHandler implements SocketEventHandler {

  private final SessionPool sessions;

  public HeartbeatHandler(SessionPool sessions) {
    this.sessions = sessions;
  }

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    return sessions.touch(socket.id(), Instant.now().getEpochSecond()).map(touched -> List.of());
  }
}
