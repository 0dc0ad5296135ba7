package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;

/**
 * One browser tab, reduced to its wire protocol over either transport ({@link ClientTransport}):
 * Engine.IO OPEN, PING/PONG, Socket.IO CONNECT with the token, {@code user-join}, then counting
 * {@code events} and answering calls. All its state is confined to its Vert.x context except the
 * flags the orchestrating thread polls.
 */
final class ClientConnection {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALL_ANSWER = "{\"ok\":true}";

  final int index;
  final String userId;
  final String token;
  final Context context;
  private final FleetStats stats;

  private ClientTransport transport;
  private Promise<Void> connected;
  private final Promise<Void> closed = Promise.promise();
  private long timeoutTimer = -1;
  private long attemptNanos;
  private boolean engineOpen;
  private boolean closing;

  /** Socket.IO sid from the CONNECT answer; the id calls and REST room joins address. */
  volatile String sid;

  volatile boolean isConnected;
  volatile boolean userReady;
  volatile boolean roomReady;

  ClientConnection(int index, String userId, String token, Context context, FleetStats stats) {
    this.index = index;
    this.userId = userId;
    this.token = token;
    this.context = context;
    this.stats = stats;
  }

  /**
   * Opens the transport and completes once Socket.IO CONNECT is answered, or fails (refused,
   * closed, CONNECT_ERROR, timeout). Must run on {@link #context}.
   */
  Future<Void> open(ClientTransport transport, long timeoutMs) {
    this.transport = transport;
    connected = Promise.promise();
    attemptNanos = System.nanoTime();
    timeoutTimer =
        context.owner().setTimer(timeoutMs, id -> fail("timeout before CONNECT answer", true));
    transport
        .open(this::onText, this::onClosed)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail("connect: " + rootMessage(ar.cause()), false);
                closed.tryComplete();
                return;
              }
              if (connected.future().isComplete() && !isConnected) {
                closing = true;
                transport.close();
              }
            });
    return connected.future();
  }

  /** Sends an Engine.IO packet from any thread. */
  void send(String frame) {
    context.runOnContext(
        v -> {
          if (transport != null) {
            transport.write(frame);
          }
        });
  }

  /** Closes the transport (as a browser closing a tab does); completes when it is closed. */
  Future<Void> close() {
    context.runOnContext(
        v -> {
          closing = true;
          if (transport == null || transport.isClosed()) {
            closed.tryComplete();
          } else {
            transport.close();
          }
        });
    return closed.future();
  }

  boolean isClosed() {
    return closed.future().isComplete();
  }

  private void onText(String frame) {
    stats.payloadChars.add(frame.length());
    if (frame.isEmpty()) {
      protocolError("empty frame");
      return;
    }
    switch (frame.charAt(0)) {
      case '0' -> {
        if (engineOpen) {
          protocolError("second Engine.IO OPEN");
          return;
        }
        engineOpen = true;
        transport.write(Frames.connect(token));
      }
      case '2' -> {
        stats.pings.increment();
        transport.write(frame.length() == 1 ? Frames.PONG : "3" + frame.substring(1));
      }
      case '4' -> onSocketPacket(frame);
      case '1', '6' -> {
        // server CLOSE (the close handler follows) and NOOP need no answer
      }
      default -> protocolError("unknown Engine.IO packet type " + frame.charAt(0));
    }
  }

  private void onSocketPacket(String frame) {
    if (frame.length() < 2) {
      protocolError("Engine.IO MESSAGE without a Socket.IO packet");
      return;
    }
    switch (frame.charAt(1)) {
      case '2' -> onEvent(frame);
      case '0' -> onConnectAnswer(frame);
      case '3' -> stats.acks.increment();
      case '4' -> fail("CONNECT_ERROR " + frame.substring(2), true);
      case '1' -> {
        stats.serverDisconnects.increment();
        stats.problem("Socket.IO DISCONNECT from server");
      }
      default -> protocolError("unexpected Socket.IO packet type " + frame.charAt(1));
    }
  }

  private void onConnectAnswer(String frame) {
    if (connected.future().isComplete()) {
      protocolError("second CONNECT answer");
      return;
    }
    try {
      JsonNode answer = JSON.readTree(frame.substring(2));
      String id = answer.path("sid").asText(null);
      if (id == null) {
        fail("CONNECT answer without sid: " + frame, true);
        return;
      }
      sid = id;
    } catch (IOException e) {
      stats.parseErrors.increment();
      fail("unparsable CONNECT answer", true);
      return;
    }
    context.owner().cancelTimer(timeoutTimer);
    FleetStats.recordMicros(stats.connectMicros, System.nanoTime() - attemptNanos);
    isConnected = true;
    transport.write(Frames.userJoin(token));
    connected.complete();
  }

  private void onEvent(String frame) {
    long now = System.nanoTime();
    long ackId;
    try {
      ackId = Frames.ackId(frame);
    } catch (IllegalArgumentException e) {
      stats.parseErrors.increment();
      stats.problem("unparsable EVENT frame");
      return;
    }
    if (ackId >= 0) {
      // a call: answer first, as a tab would, so parsing never adds to the round trip
      transport.write(Frames.ack(ackId, CALL_ANSWER));
      stats.callsAnswered.increment();
    }
    Frames.Event event;
    try {
      event = Frames.parseEvent(frame);
    } catch (IOException e) {
      stats.parseErrors.increment();
      stats.problem("unparsable EVENT: " + e.getMessage());
      return;
    }
    if (ackId >= 0) {
      return;
    }
    if (!"events".equals(event.name())) {
      stats.otherEvents.increment();
      return;
    }
    if (event.probe() != null) {
      stats.probes.increment();
      if (event.probe().equals("user")) {
        userReady = true;
      } else if (event.probe().equals("room")) {
        roomReady = true;
      }
      return;
    }
    if (event.t() < 0 && event.seq() < 0) {
      onChatEvent(frame, now);
      return;
    }
    if (event.t() < 0 || event.seq() < 0) {
      stats.otherEvents.increment();
      stats.problem("events without t/seq");
      return;
    }
    stats.onDelivery(event.phase(), event.t(), now);
  }

  /**
   * An {@code events} payload of a chat task (the task scenarios): handed to the stream tracker.
   */
  private void onChatEvent(String frame, long now) {
    JsonNode payload;
    try {
      payload = JSON.readTree(frame.substring(frame.indexOf('['))).path(1);
    } catch (IOException e) {
      stats.parseErrors.increment();
      return;
    }
    if (!payload.has("chat_id")) {
      stats.otherEvents.increment();
      stats.problem("events without t/seq or chat_id");
      return;
    }
    stats.tasks.onEvent(payload, now);
  }

  private void onClosed(String reason) {
    isConnected = false;
    if (!closing) {
      stats.unexpectedCloses.increment();
      stats.problem("closed by server, " + reason);
    }
    fail("closed before CONNECT answer", false);
    closed.tryComplete();
  }

  private void protocolError(String message) {
    stats.protocolErrors.increment();
    stats.problem(message);
  }

  /** Fails the pending open, if any; closes the socket when asked. */
  private void fail(String reason, boolean closeSocket) {
    if (connected.tryFail(reason)) {
      context.owner().cancelTimer(timeoutTimer);
      if (closeSocket && transport != null && !transport.isClosed()) {
        closing = true;
        transport.close();
      }
    }
  }

  static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
