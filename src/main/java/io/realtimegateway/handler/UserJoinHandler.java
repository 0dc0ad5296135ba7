package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code user-join {"auth": {"token"}}}: sent by the web client on every connect. Registers the
 * user, joins their user and channel rooms, acks {@code {id, name}}; an invalid token acks nothing.
 */
@ApplicationScoped
@SocketEvent("user-join")
public class UserJoinHandler implements SocketEventHandler {

  private final SocketUsers users;

  public UserJoinHandler(SocketUsers users) {
    this.users = users;
  }

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    String token = SocketUsers.payloadToken(args.isEmpty() ? null : args.get(0));
    if (token == null) {
      return Uni.createFrom().item(List.of());
    }
    return users
        .authenticate(socket, token)
        .chain(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom().item(List.<JsonNode>of());
              }
              var user = found.get();
              return users
                  .register(socket, user)
                  .chain(() -> users.joinChannels(socket, token))
                  .map(
                      joined ->
                          List.<JsonNode>of(
                              JsonNodeFactory.instance
                                  .objectNode()
                                  .put("id", user.id())
                                  .put("name", user.name())));
            });
  }
}
