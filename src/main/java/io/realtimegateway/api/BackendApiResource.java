package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The HTTP API backends use to reach browsers: emit, call, and who is online. Nothing here blocks,
 * so every method runs on the event loop; a plain return type would otherwise send each request to
 * a worker thread (the fan-out profile showed that hand-off as the emit path's largest cost).
 */
@NonBlocking
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BackendApiResource {

  static final String SESSION_DISCONNECTED = "Client session disconnected.";
  static final String CALL_TIMED_OUT =
      "Event call timed out. The browser tab may be inactive or closed.";

  private final EventEmitter emitter;
  private final SessionPool sessions;
  private final UsagePool usage;
  private final RequestBodies json;

  public BackendApiResource(
      EventEmitter emitter, SessionPool sessions, UsagePool usage, RequestBodies json) {
    this.emitter = emitter;
    this.json = json;
    this.sessions = sessions;
    this.usage = usage;
  }

  /** Answer of a successful emit. */
  public record EmitResponse(boolean status) {}

  /** Answer of a disconnect: how many sessions were closed. */
  public record DisconnectResponse(int disconnected) {}

  /** Answer of a room join or leave: how many sessions it concerned. */
  public record RoomChangeResponse(int sessions) {}

  /** Answer of a call: the browser's acknowledgement. */
  public record CallResponse(JsonNode result) {}

  /** One online session. */
  public record SessionView(
      String sid,
      @JsonProperty("user_id") String userId,
      @JsonProperty("last_seen_at") long lastSeenAt) {}

  /** Answer of the sessions listing. */
  public record SessionsResponse(List<SessionView> sessions) {}

  /** Answer of the room listing: every gateway replica's members of the room. */
  public record RoomSessionsResponse(String room, List<String> sessions) {}

  /** Answer of the usage listing. */
  public record UsageResponse(@JsonProperty("model_ids") List<String> modelIds) {}

  @POST
  @Path("/emit")
  public Response emit(String body) {
    EmitRequest request = EmitRequest.parse(json.parse(body));
    emitter.emit(
        request.event(), request.data(), request.rooms(), request.to(), request.skipSids());
    return Response.status(Response.Status.ACCEPTED).entity(new EmitResponse(true)).build();
  }

  @POST
  @Path("/disconnect")
  public Uni<DisconnectResponse> disconnect(String body) {
    Targets targets = Targets.parse(json.parse(body));
    return emitter.disconnect(targets.sessionIds(), targets.userIds()).map(DisconnectResponse::new);
  }

  @POST
  @Path("/call")
  public Uni<Response> call(String body) {
    CallRequest request = CallRequest.parse(json.parse(body));
    return emitter
        .call(request.sessionId(), request.event(), request.data(), request.timeout())
        .map(result -> Response.ok(new CallResponse(result)).build())
        .onFailure(SessionDisconnectedException.class)
        .recoverWithItem(
            () ->
                Response.status(Response.Status.NOT_FOUND)
                    .entity(ApiError.of(SESSION_DISCONNECTED))
                    .build())
        .onFailure(CallTimeoutException.class)
        .recoverWithItem(
            () ->
                Response.status(Response.Status.GATEWAY_TIMEOUT)
                    .entity(ApiError.of(CALL_TIMED_OUT))
                    .build());
  }

  @GET
  @Path("/sessions")
  public Uni<SessionsResponse> sessions(@QueryParam("user_id") String userId) {
    return sessions
        .sessions(Optional.ofNullable(userId).filter(id -> !id.isEmpty()))
        .map(
            entries ->
                new SessionsResponse(
                    entries.stream()
                        .map(
                            entry ->
                                new SessionView(entry.sid(), entry.userId(), entry.lastSeenAt()))
                        .toList()));
  }

  @POST
  @Path("/rooms/{room}/join")
  public Uni<RoomChangeResponse> joinRoom(@PathParam("room") String room, String body) {
    Targets targets = Targets.parse(json.parse(body));
    return emitter
        .joinRoom(room, targets.sessionIds(), targets.userIds())
        .map(RoomChangeResponse::new);
  }

  @POST
  @Path("/rooms/{room}/leave")
  public Uni<RoomChangeResponse> leaveRoom(@PathParam("room") String room, String body) {
    Targets targets = Targets.parse(json.parse(body));
    return emitter
        .leaveRoom(room, targets.sessionIds(), targets.userIds())
        .map(RoomChangeResponse::new);
  }

  @DELETE
  @Path("/rooms/{room}")
  public EmitResponse closeRoom(@PathParam("room") String room) {
    emitter.closeRoom(room);
    return new EmitResponse(true);
  }

  @GET
  @Path("/rooms/{room}/sessions")
  public Uni<RoomSessionsResponse> roomSessions(@PathParam("room") String room) {
    return emitter
        .roomMembers(room)
        .map(sids -> new RoomSessionsResponse(room, List.copyOf(new TreeSet<>(sids))));
  }

  @GET
  @Path("/usage")
  public Uni<UsageResponse> usage() {
    return usage.modelIds().map(ids -> new UsageResponse(List.copyOf(new TreeSet<>(ids))));
  }
}
