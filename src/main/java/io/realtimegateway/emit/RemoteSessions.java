package io.realtimegateway.emit;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Sessions connected elsewhere: another gateway replica or an Open WebUI instance. The cluster
 * layer routes calls and disconnects to them; a single node knows no such sessions.
 */
public interface RemoteSessions {

  /** Calls a session held elsewhere; fails like a local call does. */
  Uni<List<JsonNode>> call(String sid, String event, JsonNode data, Duration timeout);

  /** Asks whoever holds the session to disconnect it. */
  void disconnect(String sid);

  /** No other replicas: every remote session is unknown. */
  RemoteSessions NONE =
      new RemoteSessions() {
        @Override
        public Uni<List<JsonNode>> call(String sid, String event, JsonNode data, Duration timeout) {
          return Uni.createFrom().failure(new SessionDisconnectedException(sid));
        }

        @Override
        public void disconnect(String sid) {}
      };
}
