package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Receives the client events no {@link SocketEventHandler} is declared for, whose names are not
 * known in advance (Open WebUI's catch-all handler). Runs on the socket's event loop; must not
 * block. No acknowledgement is sent for such events.
 */
public interface UnhandledEventHandler {

  /**
   * @param socket the sender
   * @param event the event name
   * @param args the event's arguments after its name
   */
  void onEvent(Socket socket, String event, List<JsonNode> args);
}
