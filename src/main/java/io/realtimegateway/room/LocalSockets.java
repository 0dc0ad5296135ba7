package io.realtimegateway.room;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.protocol.socket.EncodedSocketPacket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The sockets of one namespace on this replica, as its adapter reaches them (socket.io's {@code
 * nsp.sockets}). The socket layer implements it; every method may be called from any thread and
 * acts on the socket's own context. Unknown or disconnected sids are ignored.
 */
public interface LocalSockets {

  /**
   * Sends an encoded packet to local sockets (the recipients of one broadcast). Unknown sids are
   * ignored.
   */
  void deliver(List<String> sids, EncodedSocketPacket packet);

  /** Joins a local socket to rooms, through the socket. */
  void join(String sid, Set<String> rooms);

  /** Takes a local socket out of a room, through the socket. */
  void leave(String sid, String room);

  /** Disconnects a local socket from the server side. */
  void disconnect(String sid);

  /**
   * Emits an event to a local socket asking for an ack.
   *
   * @return the ack's arguments; fails when the socket is unknown, disconnects or does not answer
   *     within {@code timeout}
   */
  CompletableFuture<List<JsonNode>> call(
      String sid, String event, List<JsonNode> args, Duration timeout);
}
