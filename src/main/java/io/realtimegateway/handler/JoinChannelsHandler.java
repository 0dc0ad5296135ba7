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
 * {@code join-channels {"auth": {"token"}}}: joins {@code channel:{id}} for every channel the Open
 * WebUI backend lists for the user. Refused when no backend is configured.
 */
@ApplicationScoped
@SocketEvent("join-channels")
public class JoinChannelsHandler implements SocketEventHandler {

  private final SocketUsers users;

  public JoinChannelsHandler(SocketUsers users) {
    this.users = users;
  }

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    String token = SocketUsers.payloadToken(args.isEmpty() ? null : args.get(0));
    return users
        .authenticate(socket, token)
        .chain(
            user -> {
              if (user.isEmpty()) {
                Log.debugf("socket %s: join-channels with an invalid token ignored", socket.id());
                return Uni.createFrom().item(List.<JsonNode>of());
              }
              return users.joinChannels(socket, token).map(rooms -> List.<JsonNode>of());
            });
  }
}
