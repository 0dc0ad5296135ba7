package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.presence.SessionEntry;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.realtimegateway.socket.TooManyCallsException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The HTTP API backends use to reach browsers: emit, call, and who is online, under {@code
 * /internal/v1}. Plain Vert.x Web routes on the event loop: nothing here blocks, and the fan-out
 * profile showed a JAX-RS layer costing more per emit than the delivery itself.
 */
@ApplicationScoped
public class BackendApiRoutes {

  static final String BASE = "/internal/v1";
  static final String SESSION_DISCONNECTED = "Client session disconnected.";
  static final String CALL_TIMED_OUT =
      "Event call timed out. The browser tab may be inactive or closed.";

  /** The answer of emit and close-room never changes; written as is, not serialised per request. */
  private static final String STATUS_TRUE = "{\"status\":true}";

  private final EventEmitter emitter;
  private final SessionPool sessions;
  private final UsagePool usage;
  private final ObjectMapper json;
  private final InternalApiGuard guard;
  private final long maxBodyBytes;
  private final ObjectReader bodyReader;

  public BackendApiRoutes(
      EventEmitter emitter,
      SessionPool sessions,
      UsagePool usage,
      ObjectMapper json,
      InternalApiGuard guard,
      GatewayConfig config) {
    this.emitter = emitter;
    this.sessions = sessions;
    this.usage = usage;
    this.json = json;
    this.guard = guard;
    this.maxBodyBytes = config.api().maxBodySize().asLongValue();
    // "{...} trailing" is not one JSON value: refused, as json.loads refuses it.
    this.bodyReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Answer of a disconnect: how many sessions were closed. */
  @RegisterForReflection
  public record DisconnectResponse(int disconnected) {}

  /** Answer of a room join or leave: how many sessions it concerned. */
  @RegisterForReflection
  public record RoomChangeResponse(int sessions) {}

  /** Answer of a call: the browser's acknowledgement. */
  @RegisterForReflection
  public record CallResponse(JsonNode result) {}

  /** Answer of the sessions listing. */
  @RegisterForReflection
  public record SessionsResponse(List<SessionEntry> sessions) {}

  /** Answer of the room listing: every gateway replica's members of the room. */
  @RegisterForReflection
  public record RoomSessionsResponse(String room, List<String> sessions) {}

  /** Answer of the usage listing. */
  @RegisterForReflection
  public record UsageResponse(@JsonProperty("model_ids") List<String> modelIds) {}

  void register(@Observes Router router) {
    router.route("/internal/*").handler(guard::authorize).failureHandler(this::failed);
    // Its own route: Vert.x Web lets no user handler run before a body handler on one route.
    router.post("/internal/*").handler(this::requireJson);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    router.post(BASE + "/emit").handler(body).handler(this::emit);
    router.post(BASE + "/call").handler(body).handler(this::call);
    router.post(BASE + "/disconnect").handler(body).handler(this::disconnect);
    router.get(BASE + "/sessions").handler(this::sessions);
    router.post(BASE + "/rooms/:room/join").handler(body).handler(this::joinRoom);
    router.post(BASE + "/rooms/:room/leave").handler(body).handler(this::leaveRoom);
    router.delete(BASE + "/rooms/:room").handler(this::closeRoom);
    router.get(BASE + "/rooms/:room/sessions").handler(this::roomSessions);
    router.get(BASE + "/usage").handler(this::usage);
  }

  /**
   * One emit, or a batch: an array of them, all checked before the first is emitted, then emitted
   * in order. The emits of one request, and of requests after it on the same connection, reach each
   * socket in that order (they are written from this one event loop, one after another). The answer
   * waits until the event loops of the recipients have taken the frames ({@link
   * EventEmitter#emitThen}): backpressure for a backend that emits faster than they write.
   */
  private void emit(RoutingContext context) {
    List<EmitRequest> emits = EmitRequest.parseAll(bodyReader, context.body().buffer());
    emitter.emitThen(
        () -> {
          for (EmitRequest request : emits) {
            emitter.emit(
                request.event(), request.data(), request.rooms(), request.to(), request.skipSids());
          }
        },
        () ->
            context
                .response()
                .setStatusCode(HttpResponseStatus.ACCEPTED.code())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(STATUS_TRUE));
  }

  private void call(RoutingContext context) {
    CallRequest request = CallRequest.parse(body(context));
    Uni<JsonNode> answer =
        request.userId() == null
            ? emitter.call(request.sessionId(), request.event(), request.data(), request.timeout())
            : emitter.callUserSession(
                request.userId(),
                request.sessionId(),
                request.event(),
                request.data(),
                request.timeout());
    reply(context, answer, CallResponse::new);
  }

  private void disconnect(RoutingContext context) {
    Targets targets = Targets.parse(body(context));
    reply(
        context,
        emitter.disconnect(targets.sessionIds(), targets.userIds()),
        DisconnectResponse::new);
  }

  private void sessions(RoutingContext context) {
    Optional<String> userId =
        Optional.ofNullable(context.queryParams().get("user_id")).filter(id -> !id.isEmpty());
    reply(context, sessions.sessions(userId), SessionsResponse::new);
  }

  private void joinRoom(RoutingContext context) {
    Targets targets = Targets.parse(body(context));
    reply(
        context,
        emitter.joinRoom(context.pathParam("room"), targets.sessionIds(), targets.userIds()),
        RoomChangeResponse::new);
  }

  private void leaveRoom(RoutingContext context) {
    Targets targets = Targets.parse(body(context));
    reply(
        context,
        emitter.leaveRoom(context.pathParam("room"), targets.sessionIds(), targets.userIds()),
        RoomChangeResponse::new);
  }

  private void closeRoom(RoutingContext context) {
    emitter.closeRoom(context.pathParam("room"));
    write(context, HttpResponseStatus.OK, STATUS_TRUE);
  }

  private void roomSessions(RoutingContext context) {
    String room = context.pathParam("room");
    reply(
        context,
        emitter.roomMembers(room),
        sids -> new RoomSessionsResponse(room, List.copyOf(new TreeSet<>(sids))));
  }

  private void usage(RoutingContext context) {
    reply(context, usage.modelIds(), ids -> new UsageResponse(List.copyOf(new TreeSet<>(ids))));
  }

  /**
   * Refuses, before the body is read, a body declared as anything but JSON in UTF-8: the body
   * handler would otherwise decode a form or a multipart body, and another charset would be read as
   * UTF-8. A request without a Content-Type is read as JSON.
   */
  private void requireJson(RoutingContext context) {
    String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null && !isJsonInUtf8(contentType)) {
      throw new InvalidRequestException(
          "Content-Type", "the request body must be application/json in UTF-8");
    }
    context.next();
  }

  /** {@code application/json} or a {@code +json} type, with no charset or UTF-8. */
  private static boolean isJsonInUtf8(String contentType) {
    String[] parts = contentType.split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")
        && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].trim().equalsIgnoreCase("charset")
          && (parameter.length < 2
              || !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The body as JSON; an empty, malformed (including invalid UTF-8 and trailing data) or too deeply
   * nested one is a 400 naming {@code body}.
   */
  private JsonNode body(RoutingContext context) {
    return RequestFields.parse(bodyReader, context.body().buffer());
  }

  private <T> void reply(RoutingContext context, Uni<T> result, Function<T, Object> answer) {
    result
        .subscribe()
        .with(value -> write(context, HttpResponseStatus.OK, answer.apply(value)), context::fail);
  }

  /** Every failure under {@code /internal}: a JSON {@link ApiError}, never a stack trace. */
  private void failed(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure instanceof InvalidRequestException invalid) {
      Log.debugf("bad API request: %s", invalid.getMessage());
      write(
          context,
          HttpResponseStatus.BAD_REQUEST,
          new ApiError(invalid.getMessage(), invalid.field(), invalid.item()));
    } else if (failure instanceof SessionDisconnectedException) {
      write(context, HttpResponseStatus.NOT_FOUND, ApiError.of(SESSION_DISCONNECTED));
    } else if (failure instanceof CallTimeoutException) {
      write(context, HttpResponseStatus.GATEWAY_TIMEOUT, ApiError.of(CALL_TIMED_OUT));
    } else if (failure instanceof TooManyCallsException) {
      write(context, HttpResponseStatus.TOO_MANY_REQUESTS, ApiError.of(failure.getMessage()));
    } else if (context.statusCode() >= 400 && context.statusCode() < 500) {
      // Refused by Vert.x itself (413 from the body limit): a client error keeps its status.
      HttpResponseStatus status = HttpResponseStatus.valueOf(context.statusCode());
      Log.debugf("bad API request %s: %s", status.code(), failure);
      write(context, status, ApiError.of(status.reasonPhrase()));
    } else {
      Log.errorf(failure, "API request %s failed", context.normalizedPath());
      write(context, HttpResponseStatus.INTERNAL_SERVER_ERROR, ApiError.of("internal error"));
    }
  }

  private void write(RoutingContext context, HttpResponseStatus status, Object answer) {
    JsonResponses.write(
        json,
        context,
        status.code(),
        answer,
        "{\"error\":\"the answer could not be written as JSON\"}");
  }
}
