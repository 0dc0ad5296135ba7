package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Handles one client event; declare the bean with {@link SocketEvent}. Runs on the socket's event
 * loop and must not block: do I/O with non-blocking clients and return a {@link Uni}.
 */
public interface SocketEventHandler {

  /**
   * @param socket the sender
   * @param args the event's arguments after its name
   * @return the acknowledgement arguments, sent when the client asked for an ack ({@code []} for an
   *     empty list)
   */
  Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args);
}
