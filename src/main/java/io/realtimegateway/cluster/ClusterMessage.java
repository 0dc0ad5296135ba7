package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What replicas tell each other: python-socketio's Redis manager messages, so that gateway replicas
 * and Open WebUI's Python instances form one server. Every message names the host that sent it; a
 * host ignores its own messages, except callbacks, which only their origin handles.
 */
public sealed interface ClusterMessage {

  /** The sending host ({@code host_id}), or for a callback the host that made the call. */
  String hostId();

  /**
   * Emit an event to the local sockets a target selects.
   *
   * @param args the event's arguments after its name (binary values as Jackson binary nodes)
   * @param rooms target rooms; {@code null} means every socket of the namespace
   * @param skipSids sids (rooms) to leave out
   * @param callback where the answer of a call goes, or {@code null}
   */
  record Emit(
      String event,
      List<JsonNode> args,
      String namespace,
      List<String> rooms,
      List<String> skipSids,
      CallbackTarget callback,
      String hostId)
      implements ClusterMessage {}

  /**
   * The call an emit belongs to: python-socketio's {@code [room, namespace, id]}.
   *
   * @param sid the called socket
   * @param id the ack id allocated by the calling host
   */
  record CallbackTarget(String sid, String namespace, long id) {}

  /** A socket's answer to a call, routed to the host that made it ({@code hostId}). */
  record Callback(String hostId, String sid, String namespace, long id, List<JsonNode> args)
      implements ClusterMessage {}

  /** Disconnect a socket, wherever it is connected. */
  record Disconnect(String sid, String namespace, String hostId) implements ClusterMessage {}

  /** Add a socket to a room, wherever it is connected. */
  record EnterRoom(String sid, String room, String namespace, String hostId)
      implements ClusterMessage {}

  /** Remove a socket from a room, wherever it is connected. */
  record LeaveRoom(String sid, String room, String namespace, String hostId)
      implements ClusterMessage {}

  /** Empty a room on every host. */
  record CloseRoom(String room, String namespace, String hostId) implements ClusterMessage {}

  /**
   * Gateway-only: every gateway replica answers with its local members of a room. Travels on the
   * gateway's own channel; Python instances never see it.
   */
  record FetchRoom(String requestId, String room, String namespace, String hostId)
      implements ClusterMessage {}

  /** Gateway-only: one replica's answer to {@link FetchRoom}, for {@code requesterId} only. */
  record RoomMembers(String requestId, String requesterId, List<String> sids, String hostId)
      implements ClusterMessage {}
}
