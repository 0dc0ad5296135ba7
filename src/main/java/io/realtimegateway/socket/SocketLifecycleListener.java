package io.realtimegateway.socket;

import com.fasterxml.jackson.databind.JsonNode;

/** Hears sockets connect to and disconnect from a namespace (CDI beans, called in any order). */
public interface SocketLifecycleListener {

  /**
   * The CONNECT was answered; {@code auth} is the CONNECT payload or an empty object. The socket
   * does not keep it (it holds the token): keep what is needed in {@link Socket#data()}.
   */
  void onConnect(Socket socket, JsonNode auth);

  /** The socket is gone; its rooms are already left. */
  default void onDisconnect(Socket socket, String reason) {}
}
