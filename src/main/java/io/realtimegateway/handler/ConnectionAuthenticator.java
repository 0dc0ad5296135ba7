package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketLifecycleListener;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authenticates a socket from its CONNECT payload {@code {"token"}} after the CONNECT was answered
 * (Open WebUI never refuses a connection: a socket without a valid token just joins no user room),
 * and clears the pools when it leaves.
 */
@ApplicationScoped
public class ConnectionAuthenticator implements SocketLifecycleListener {

  private final SocketUsers users;
  private final SessionPool sessions;
  private final UsagePool usage;

  public ConnectionAuthenticator(SocketUsers users, SessionPool sessions, UsagePool usage) {
    this.users = users;
    this.sessions = sessions;
    this.usage = usage;
  }

  @Override
  public void onConnect(Socket socket, JsonNode auth) {
    JsonNode token = auth.path("token");
    if (!token.isTextual()) {
      return;
    }
    users
        .authenticate(socket, token.asText())
        .chain(
            user ->
                user.isPresent() ? users.register(socket, user.get()) : Uni.createFrom().voidItem())
        .subscribe()
        .with(
            ignored -> {},
            failure -> Log.warnf("socket %s: authentication failed: %s", socket.id(), failure));
  }

  @Override
  public void onDisconnect(Socket socket, String reason) {
    users.disconnected(socket);
    sessions
        .remove(socket.id())
        .chain(() -> usage.removeSession(socket.id()))
        .subscribe()
        .with(
            ignored -> {},
            failure -> Log.warnf("socket %s: pool cleanup failed: %s", socket.id(), failure));
  }
}
