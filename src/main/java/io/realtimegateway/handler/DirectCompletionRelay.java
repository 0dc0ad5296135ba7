package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.quarkus.logging.Log;
import io.realtimegateway.auth.UserProfile;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.UnhandledEventHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Open WebUI 0.11.4's relay for direct connections: the browser streams a provider's answer as
 * events named {@code <user_id>:<session_id>:<request_id>}, and the Open WebUI instance that made
 * the request waits for them. Only names with exactly two colons whose first part is the sender's
 * own user id are relayed; anything else is ignored, at debug level.
 */
@ApplicationScoped
public class DirectCompletionRelay implements UnhandledEventHandler {

  private final DirectCompletionChannel channel;

  public DirectCompletionRelay(DirectCompletionChannel channel) {
    this.channel = channel;
  }

  @Override
  public void onEvent(Socket socket, String event, List<JsonNode> args) {
    Optional<UserProfile> user = SocketUsers.user(socket);
    if (user.isEmpty() || !isChannelOf(event, user.get().id())) {
      Log.debugf("socket %s: no handler for event %s", socket.id(), event);
      return;
    }
    JsonNode data = args.isEmpty() ? NullNode.getInstance() : args.get(0);
    channel
        .publish(event, data)
        .subscribe()
        .with(
            ignored -> {},
            failure ->
                Log.warnf(
                    "socket %s: direct completion chunk for %s not relayed: %s",
                    socket.id(), event, failure.toString()));
  }

  /** {@code <user_id>:<session_id>:<request_id>}: three parts, the first the sender's user id. */
  static boolean isChannelOf(String event, String userId) {
    String[] parts = event.split(":", -1);
    return parts.length == 3 && parts[0].equals(userId);
  }
}
