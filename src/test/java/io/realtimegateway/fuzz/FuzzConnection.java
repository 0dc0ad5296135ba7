package io.realtimegateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EngineProtocolException;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketType;
import io.realtimegateway.protocol.socket.SocketProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plays one {@link FrameGenerator.Script} on a fresh WebSocket and checks what the gateway does
 * against {@link ProtocolModel}: a connection whose messages are all valid must stay open and
 * answer an Engine.IO PING probe at the end; one that sent an invalid message must be closed; in no
 * case may it stay open without answering (a session whose handler threw and left it dead). Every
 * frame the gateway sends must decode with the codecs. When the script asks for it, a backend call
 * to this socket runs meanwhile and the script answers it.
 */
final class FuzzConnection {

  /** Long enough for a loaded 2-core machine; only a failing connection ever waits this long. */
  static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration CALL_EVENT_WAIT = Duration.ofSeconds(2);
  private static final String PROBE = "2probe";
  private static final String PROBE_ANSWER = "3probe";

  private final FuzzRun run;
  private final FrameGenerator.Script script;
  private final Random answers;
  private final ProtocolModel model;
  private final ClientParser inbound = new ClientParser();
  private final List<FuzzFrame> sent = new ArrayList<>();
  private final Deque<Long> callsToAnswer = new ArrayDeque<>();
  private RawWebSocket ws;
  private String socketId;
  private boolean callStarted;
  private boolean callAnswered;
  private boolean serverClosed;
  private int closeCode;
  private boolean probeAnswered;

  FuzzConnection(FuzzRun run, FrameGenerator.Script script) {
    this.run = run;
    this.script = script;
    this.answers = new Random(script.answerSeed());
    this.model = new ProtocolModel(run.maxPayload(), run.maxAttachments());
  }

  /** Plays the script; returns how many messages were sent. Findings go to {@link FuzzRun}. */
  int play() {
    try {
      ws = RawWebSocket.connect(run.address(), run.path(), IO_TIMEOUT);
    } catch (IOException e) {
      run.fail(script, sent, "could not open a WebSocket: " + e);
      return 0;
    }
    try {
      return playOpen();
    } catch (IOException e) {
      run.fail(script, sent, "client I/O failed: " + e);
      return sent.size();
    } finally {
      ws.close(script.close());
    }
  }

  private int playOpen() throws IOException {
    List<RawWebSocket.Message> first = ws.await(IO_TIMEOUT);
    if (first.isEmpty() || !first.get(0).isText() || !first.get(0).text().startsWith("0{")) {
      run.fail(script, sent, "no Engine.IO OPEN within " + IO_TIMEOUT + ": " + first);
      return 0;
    }
    handle(first.subList(1, first.size()));
    ProtocolModel.Verdict verdict = ProtocolModel.Verdict.KEEP_OPEN;
    for (FuzzFrame frame : script.frames()) {
      handle(ws.poll());
      verdict = answerCalls(verdict);
      if (serverClosed || verdict != ProtocolModel.Verdict.KEEP_OPEN) {
        break;
      }
      maybeStartCall();
      verdict = send(frame);
      if (verdict != ProtocolModel.Verdict.KEEP_OPEN) {
        break;
      }
    }
    if (verdict == ProtocolModel.Verdict.KEEP_OPEN && !serverClosed && callStarted) {
      awaitCallEvent();
      verdict = answerCalls(verdict);
    }
    if (model.codecCrash() != null) {
      run.fail(script, sent, "the codecs threw " + model.codecCrash() + " on the last frame");
    }
    switch (verdict) {
      case KEEP_OPEN -> {
        if (!serverClosed) {
          probe();
        }
        if (serverClosed) {
          run.fail(script, sent, "closed (code " + closeCode + ") although every frame was valid");
        } else if (!probeAnswered) {
          run.fail(script, sent, "open but no answer to a PING probe (dead session)");
        } else {
          run.stats().keptOpen.increment();
        }
      }
      case CLOSE -> {
        awaitClose(IO_TIMEOUT);
        if (!serverClosed) {
          probe();
          run.fail(
              script,
              sent,
              probeAnswered
                  ? "an invalid frame was accepted: the connection stayed open"
                  : "an invalid frame left the connection open and dead");
        } else {
          run.stats().closedAsExpected.increment();
        }
      }
      case EITHER -> {
        if (!serverClosed) {
          probe();
        }
        if (!serverClosed && !probeAnswered) {
          run.fail(script, sent, "open but no answer to a PING probe (dead session)");
        } else {
          run.stats().either.increment();
        }
      }
    }
    if (serverClosed) {
      run.stats().closeCodes.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
    }
    return sent.size();
  }

  private ProtocolModel.Verdict send(FuzzFrame frame) {
    if (!ws.send(frame)) {
      // The server closed first; a write into a reset connection is how that shows.
      serverClosed = true;
      closeCode = -1;
      return ProtocolModel.Verdict.KEEP_OPEN;
    }
    sent.add(frame);
    return model.accept(frame);
  }

  private void maybeStartCall() {
    if (script.call() && !callStarted && socketId != null) {
      callStarted = true;
      run.startCall(script, socketId);
    }
  }

  /** Answers pending backend calls between packets (never between a header and its attachments). */
  private ProtocolModel.Verdict answerCalls(ProtocolModel.Verdict verdict) {
    while (verdict == ProtocolModel.Verdict.KEEP_OPEN
        && !serverClosed
        && !callsToAnswer.isEmpty()
        && !model.isAwaitingAttachments()) {
      long ackId = callsToAnswer.poll();
      callAnswered = true;
      for (FuzzFrame frame : run.generator().callAnswer(answers, ackId)) {
        verdict = send(frame);
        if (verdict != ProtocolModel.Verdict.KEEP_OPEN || serverClosed) {
          break;
        }
      }
    }
    return verdict;
  }

  private void awaitCallEvent() throws IOException {
    long deadline = System.nanoTime() + CALL_EVENT_WAIT.toNanos();
    while (!callAnswered && callsToAnswer.isEmpty() && !serverClosed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      handle(ws.await(Duration.ofNanos(left)));
    }
  }

  private void probe() throws IOException {
    if (!ws.sendText(PROBE)) {
      serverClosed = true;
      closeCode = -1;
      return;
    }
    long deadline = System.nanoTime() + IO_TIMEOUT.toNanos();
    while (!probeAnswered && !serverClosed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      handle(ws.await(Duration.ofNanos(left)));
    }
  }

  private void awaitClose(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!serverClosed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      handle(ws.await(Duration.ofNanos(left)));
    }
  }

  private void handle(List<RawWebSocket.Message> messages) throws IOException {
    for (RawWebSocket.Message message : messages) {
      run.stats().serverMessages.increment();
      switch (message.opcode()) {
        case RawWebSocket.TEXT -> text(message.text());
        case RawWebSocket.BINARY -> socketPacket(null, message.payload());
        case RawWebSocket.CLOSE -> {
          if (!serverClosed) {
            serverClosed = true;
            closeCode = message.closeCode();
          }
        }
        case RawWebSocket.PING -> ws.pong(message.payload());
        default -> {}
      }
    }
  }

  private void text(String frame) throws IOException {
    EnginePacket packet;
    try {
      packet = EnginePacketCodec.decodeText(frame);
    } catch (EngineProtocolException e) {
      run.fail(script, sent, "the gateway sent an invalid Engine.IO frame: " + frame);
      return;
    }
    switch (packet.type()) {
      case PONG -> probeAnswered |= PROBE_ANSWER.equals(frame);
      // The heartbeat of a connection that lives longer than the ping interval.
      case PING -> ws.sendText("3");
      case MESSAGE -> socketPacket(packet.text(), null);
      default -> {}
    }
  }

  /**
   * Reassembles the gateway's packets as socket.io-client does ({@link ClientParser}): placeholders
   * are only filled in binary packets; in a plain packet they are ordinary objects.
   */
  private void socketPacket(String text, byte[] binary) {
    SocketPacket packet;
    try {
      packet = text != null ? inbound.text(text) : inbound.binary(binary);
    } catch (SocketProtocolException | RuntimeException e) {
      run.fail(
          script,
          sent,
          "the gateway sent a frame socket.io-client would refuse ("
              + e.getMessage()
              + "): "
              + (text != null ? text : binary.length + " bytes"));
      return;
    }
    if (packet == null) {
      return;
    }
    if (packet.type() == SocketPacketType.CONNECT && packet.namespace().equals("/")) {
      JsonNode sid = packet.data() == null ? null : packet.data().get("sid");
      socketId = sid == null ? null : sid.asText();
      if (socketId != null) {
        run.socketConnected(socketId, script.index());
      }
    } else if (packet.isEvent() && packet.ackId() != null) {
      callsToAnswer.add(packet.ackId());
    }
  }
}
