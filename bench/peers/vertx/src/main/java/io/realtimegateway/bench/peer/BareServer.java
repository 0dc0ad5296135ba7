package io.realtimegateway.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark peer S0: the least a server must do to pass the load generator's fan-out and room
 * scenarios, on the HTTP and WebSocket stack the gateway runs on (Vert.x core, Netty), with no
 * Engine.IO or Socket.IO logic. Its figures are the limit the gateway is measured against.
 *
 * <p>What it does, and nothing more: answers {@code GET /health}; on a WebSocket at {@code
 * /ws/socket.io/} writes an Engine.IO OPEN, answers the Socket.IO CONNECT with a sid, and puts the
 * connection into the room {@code user:<id>} of the token's {@code id} claim (read, not verified:
 * the scenarios compared here measure delivery, not authentication); {@code join-channel
 * {"channel": x}} joins {@code channel:x}; the {@code user-join} event and PONGs are read and
 * ignored. {@code POST /internal/v1/emit} with one emit object, or a JSON array of them, writes
 * {@code 42["<event>",<data>]} to every connection of the emit's room (every connection when it
 * names none) and answers {@code 202 {"status": true}}. No pings, no acks, no calls, no binary, no
 * polling, no Redis.
 *
 * <p>{@code PORT} (default 8090) on 127.0.0.1; one HTTP server per event loop, one event loop per
 * core, as the gateway runs.
 */
public final class BareServer extends AbstractVerticle {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/ws/socket.io";
  private static final String EMIT_ANSWER = "{\"status\":true}";
  private static final AtomicLong SIDS = new AtomicLong();

  /** Room name to its connections; shared by every event loop. */
  private static final Map<String, Set<ServerWebSocket>> ROOMS = new ConcurrentHashMap<>();

  /** Every open connection: the target of an emit that names no room. */
  private static final Set<ServerWebSocket> ALL = ConcurrentHashMap.newKeySet();

  private final int port;

  BareServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8090"));
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    vertx
        .deployVerticle(() -> new BareServer(port), new DeploymentOptions().setInstances(loops))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    System.err.printf("vertx peer on 127.0.0.1:%d, %d event loops%n", port, loops);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx
                        .close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // exiting anyway
                  }
                }));
  }

  @Override
  public void start(Promise<Void> started) {
    vertx
        .createHttpServer(
            new HttpServerOptions()
                .setTcpNoDelay(true)
                .setMaxWebSocketMessageSize(1_048_576)
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(this::onWebSocket)
        .requestHandler(this::onRequest)
        .listen(port, "127.0.0.1")
        .<Void>mapEmpty()
        .onComplete(started);
  }

  private void onRequest(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/health")) {
      request.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
    } else if (path.equals("/internal/v1/emit") && request.method().name().equals("POST")) {
      request
          .body()
          .onSuccess(
              body -> {
                try {
                  emit(JSON.readTree(body.getBytes()));
                  request
                      .response()
                      .setStatusCode(202)
                      .putHeader("content-type", "application/json")
                      .end(EMIT_ANSWER);
                } catch (IOException | IllegalArgumentException e) {
                  request
                      .response()
                      .setStatusCode(400)
                      .putHeader("content-type", "application/json")
                      .end("{\"error\":\"body must be an emit object or a list of them\"}");
                }
              });
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static void emit(JsonNode body) throws IOException {
    if (body.isArray()) {
      for (JsonNode one : body) {
        emitOne(one);
      }
    } else {
      emitOne(body);
    }
  }

  private static void emitOne(JsonNode emit) throws IOException {
    JsonNode event = emit.path("event");
    if (!event.isTextual()) {
      throw new IllegalArgumentException("event");
    }
    String frame =
        "42["
            + JSON.writeValueAsString(event.asText())
            + ","
            + JSON.writeValueAsString(emit.path("data"))
            + "]";
    JsonNode room = emit.path("room");
    if (room.isTextual()) {
      writeTo(ROOMS.get(room.asText()), frame);
    } else if (room.isArray()) {
      for (JsonNode name : room) {
        writeTo(ROOMS.get(name.asText()), frame);
      }
    } else {
      writeTo(ALL, frame);
    }
  }

  private static void writeTo(Set<ServerWebSocket> sockets, String frame) {
    if (sockets == null) {
      return;
    }
    for (ServerWebSocket socket : sockets) {
      socket.writeTextMessage(frame);
    }
  }

  private void onWebSocket(ServerWebSocket socket) {
    if (!socket.path().startsWith(PATH)) {
      socket.reject(404);
      return;
    }
    String sid = Long.toString(SIDS.incrementAndGet(), 36);
    List<String> joined = new ArrayList<>(2);
    ALL.add(socket);
    socket.closeHandler(
        v -> {
          ALL.remove(socket);
          for (String room : joined) {
            Set<ServerWebSocket> members = ROOMS.get(room);
            if (members != null) {
              members.remove(socket);
            }
          }
        });
    socket.textMessageHandler(text -> onPacket(socket, sid, joined, text));
    socket.writeTextMessage(
        "0{\"sid\":\""
            + sid
            + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
  }

  private static void onPacket(
      ServerWebSocket socket, String sid, List<String> joined, String text) {
    if (text.startsWith("40")) {
      String user = userOf(text.substring(2));
      if (user != null) {
        join(socket, joined, "user:" + user);
      }
      socket.writeTextMessage("40{\"sid\":\"" + sid + "\"}");
    } else if (text.startsWith("42[\"join-channel\"")) {
      try {
        JsonNode channel = JSON.readTree(text.substring(2)).path(1).path("channel");
        if (channel.isTextual()) {
          join(socket, joined, "channel:" + channel.asText());
        }
      } catch (IOException e) {
        // not an event this peer knows: ignored, like every other packet
      }
    }
  }

  private static void join(ServerWebSocket socket, List<String> joined, String room) {
    ROOMS.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(socket);
    joined.add(room);
  }

  /** The {@code id} claim of the CONNECT payload's token, unverified; null when there is none. */
  private static String userOf(String connectPayload) {
    try {
      String token = JSON.readTree(connectPayload).path("token").asText("");
      String[] parts = token.split("\\.");
      if (parts.length != 3) {
        return null;
      }
      JsonNode claims =
          JSON.readTree(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return claims.path("id").isTextual() ? claims.get("id").asText() : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
