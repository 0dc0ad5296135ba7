package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.auth.Authenticator;
import io.realtimegateway.auth.OpenWebUiClient;
import io.realtimegateway.auth.UserProfile;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketServer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What connect and {@code user-join} share: authenticate a token, register the socket's user in the
 * session pool and join the rooms Open WebUI uses ({@code user:{id}}, {@code channel:{id}}).
 */
@ApplicationScoped
public class SocketUsers {

  /** Key of the authenticated user in {@link Socket#data(String)}. */
  static final String USER = "user";

  private final Authenticator authenticator;
  private final OpenWebUiClient backend;
  private final SessionPool sessions;
  private final SocketServer server;
  private final GatewayConfig.Limits limits;

  /** Connected sockets whose user is known: changed on the sockets' contexts, read anywhere. */
  private final AtomicInteger authenticated = new AtomicInteger();

  public SocketUsers(
      Authenticator authenticator,
      OpenWebUiClient backend,
      SessionPool sessions,
      SocketServer server,
      GatewayConfig config) {
    this.authenticator = authenticator;
    this.backend = backend;
    this.sessions = sessions;
    this.server = server;
    this.limits = config.limits();
  }

  /** The token at {@code payload.auth.token} ({@code user-join}, {@code join-*} payloads). */
  static String payloadToken(JsonNode payload) {
    JsonNode token = payload == null ? null : payload.path("auth").path("token");
    return token != null && token.isTextual() ? token.asText() : null;
  }

  /** The user a socket authenticated as, if it did. */
  static Optional<UserProfile> user(Socket socket) {
    return Optional.ofNullable((UserProfile) socket.data(USER));
  }

  /**
   * The user of a token, delivered on the socket's context: what follows (registering, joining)
   * touches the socket, and the backend and Redis answer on threads of their own.
   */
  Uni<Optional<UserProfile>> authenticate(Socket socket, String token) {
    return authenticator.authenticate(token).emitOn(socket.context());
  }

  /**
   * Stores the user in the session pool and the socket, and joins {@code user:{id}}. A user who
   * already has {@code connections-per-user} other sockets here is disconnected instead.
   */
  Uni<Void> register(Socket socket, UserProfile user) {
    if (!socket.isConnected()) {
      return Uni.createFrom().voidItem();
    }
    String userRoom = userRoom(user.id());
    Set<String> others = new HashSet<>(server.mainNamespace().rooms().sids(userRoom));
    others.remove(socket.id());
    if (others.size() >= limits.connectionsPerUser()) {
      Log.debugf(
          "socket %s: user %s already has %d connections, disconnecting",
          socket.id(), user.id(), others.size());
      server.disconnect(socket);
      return Uni.createFrom().voidItem();
    }
    if (socket.putData(USER, user) == null) {
      authenticated.incrementAndGet();
    }
    socket.join(Set.of(userRoom));
    return sessions.put(socket.id(), user.record(), Instant.now().getEpochSecond());
  }

  /**
   * A socket disconnected; on its context. Its user stays in {@link Socket#data(String)} for the
   * other disconnect listeners.
   */
  void disconnected(Socket socket) {
    if (user(socket).isPresent()) {
      authenticated.decrementAndGet();
    }
  }

  /** Connected sockets of this replica whose user is known. */
  public int authenticatedCount() {
    return authenticated.get();
  }

  /** Joins every channel the user belongs to; nothing without an Open WebUI backend. */
  Uni<Set<String>> joinChannels(Socket socket, String token) {
    if (!backend.isConfigured()) {
      return Uni.createFrom().item(Set.of());
    }
    return backend
        .channelIds(token)
        .emitOn(socket.context())
        .map(
            ids -> {
              Set<String> rooms =
                  ids.stream().map(id -> "channel:" + id).collect(Collectors.toSet());
              if (!rooms.isEmpty()) {
                socket.join(rooms);
              }
              return rooms;
            });
  }

  static String userRoom(String userId) {
    return "user:" + userId;
  }
}
