package io.realtimegateway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.realtimegateway.auth.OpenWebUiClient;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * {@code join-note {"note_id", "auth": {"token"}}}: joins {@code note:{id}} when the Open WebUI
 * backend lets the user read the note. Refused when no backend is configured.
 */
@ApplicationScoped
@SocketEvent("join-note")
public class JoinNoteHandler implements SocketEventHandler {

  private final SocketUsers users;
  private final OpenWebUiClient backend;

  public JoinNoteHandler(SocketUsers users, OpenWebUiClient backend) {
    this.users = users;
    this.backend = backend;
  }

  @Override
  public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
    JsonNode payload = args.isEmpty() ? null : args.get(0);
    JsonNode noteId = payload == null ? null : payload.path("note_id");
    String token = SocketUsers.payloadToken(payload);
    if (noteId == null || !noteId.isTextual() || noteId.asText().isEmpty()) {
      Log.debugf("socket %s: join-note without a note_id ignored", socket.id());
      return Uni.createFrom().item(List.of());
    }
    return users
        .authenticate(socket, token)
        .chain(
            user ->
                user.isEmpty()
                    ? Uni.createFrom().item(false)
                    : backend.canReadNote(token, noteId.asText()).emitOn(socket.context()))
        .map(
            allowed -> {
              if (allowed) {
                socket.join(Set.of("note:" + noteId.asText()));
              } else {
                Log.debugf("socket %s: join-note %s refused", socket.id(), noteId.asText());
              }
              return List.of();
            });
  }
}
