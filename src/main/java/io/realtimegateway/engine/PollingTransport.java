package io.realtimegateway.engine;

import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EnginePacketType;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO over HTTP long-polling: packets wait in a queue until the client's GET takes them all
 * as one payload. At most one GET waits at a time. Everything but {@link #queuedBytes} runs on the
 * session's context, so the queue and the waiting GET need no lock.
 */
final class PollingTransport implements EngineTransport {

  static final String NAME = "polling";
  private static final String PAYLOAD_TYPE = "text/plain; charset=UTF-8";

  private final Context context;
  private final Duration closeLinger;
  private final List<EnginePacket> queue = new ArrayList<>();

  /** Written on the context; read anywhere by the slow-consumer check. */
  private volatile long queuedBytes;

  private HttpServerResponse waitingPoll;
  private boolean flushScheduled;
  private boolean closing;
  private boolean discarded;
  private Runnable released;
  private long lingerTimer = -1;

  PollingTransport(Context context, Duration closeLinger) {
    this.context = context;
    this.closeLinger = closeLinger;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean sendsFromAnyThread() {
    return false;
  }

  @Override
  public void send(EnginePacket packet) {
    if (closing || discarded) {
      return;
    }
    queue.add(packet);
    queuedBytes += size(packet);
    if (waitingPoll != null && !flushScheduled) {
      // Packets written in the same turn of the event loop (a binary packet's attachments, a
      // broadcast burst) leave in one payload rather than one poll each.
      flushScheduled = true;
      context.runOnContext(
          ignored -> {
            flushScheduled = false;
            if (waitingPoll != null && !queue.isEmpty()) {
              answer(waitingPoll, drain());
              waitingPoll = null;
            }
          });
    }
  }

  @Override
  public long queuedBytes() {
    return queuedBytes;
  }

  /**
   * A GET of the client. Answered at once when packets wait, else held until one is sent. Returns
   * false, and leaves the response alone, when another GET is already waiting.
   */
  boolean poll(HttpServerResponse response) {
    if (waitingPoll != null) {
      return false;
    }
    if (closing) {
      queue.add(EnginePacket.of(EnginePacketType.CLOSE));
      answer(response, drain());
      release();
      return true;
    }
    if (discarded) {
      answer(response, List.of(EnginePacket.of(EnginePacketType.NOOP)));
      return true;
    }
    if (queue.isEmpty()) {
      waitingPoll = response;
      // A client that drops its waiting GET must not take the next packets with it.
      response.closeHandler(ignored -> context.runOnContext(x -> abandoned(response)));
    } else {
      answer(response, drain());
    }
    return true;
  }

  /** The client went away from a GET it left waiting. */
  private void abandoned(HttpServerResponse response) {
    if (waitingPoll == response) {
      waitingPoll = null;
    }
  }

  /**
   * An upgrade probe succeeded: a NOOP ends the waiting GET, so the client can pause polling and
   * send UPGRADE on the WebSocket. With no GET waiting the NOOP is queued like any packet: the next
   * GET takes it, or it moves to the WebSocket with the rest (python-engineio does the same; the
   * protocol test suite expects it there).
   */
  void releaseWaitingPoll() {
    queue.add(EnginePacket.of(EnginePacketType.NOOP));
    if (waitingPoll != null) {
      answer(waitingPoll, drain());
      waitingPoll = null;
    }
  }

  /**
   * Ends a waiting GET with a NOOP, if one waits: after the client sent CLOSE (as engine.io ends
   * it), and to hurry a client that polled again while its upgrade probe was on the way.
   */
  void endWaitingPoll() {
    if (waitingPoll != null) {
      answer(waitingPoll, List.of(EnginePacket.of(EnginePacketType.NOOP)));
      waitingPoll = null;
    }
  }

  /**
   * The session moved to a WebSocket: hands over the packets no GET has taken, in order, so they
   * are delivered once, over the new transport. A GET still waiting gets a NOOP.
   */
  List<EnginePacket> discard() {
    discarded = true;
    List<EnginePacket> left = drain();
    if (waitingPoll != null) {
      answer(waitingPoll, List.of(EnginePacket.of(EnginePacketType.NOOP)));
      waitingPoll = null;
    }
    return left;
  }

  @Override
  public void close(CloseCode code, boolean flush, Runnable released) {
    closing = true;
    if (!flush) {
      drain();
    }
    if (waitingPoll != null) {
      queue.add(EnginePacket.of(EnginePacketType.CLOSE));
      answer(waitingPoll, drain());
      waitingPoll = null;
      released.run();
    } else if (queue.isEmpty()) {
      // The next GET finds no session: HTTP 400, which the client treats as the end.
      released.run();
    } else {
      // A server close (a Socket.IO DISCONNECT just queued): the next GET still takes it.
      this.released = released;
      lingerTimer =
          context
              .owner()
              .setTimer(closeLinger.toMillis(), id -> context.runOnContext(x -> release()));
    }
  }

  private void release() {
    if (lingerTimer != -1) {
      context.owner().cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    queue.clear();
    queuedBytes = 0;
    if (released != null) {
      Runnable then = released;
      released = null;
      then.run();
    }
  }

  private List<EnginePacket> drain() {
    List<EnginePacket> packets = List.copyOf(queue);
    queue.clear();
    queuedBytes = 0;
    return packets;
  }

  private static void answer(HttpServerResponse response, List<EnginePacket> packets) {
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, PAYLOAD_TYPE)
        .end(EnginePacketCodec.encodePayload(packets));
  }

  private static long size(EnginePacket packet) {
    // The UTF-16 length: a lower bound of the bytes, close enough for a queue limit.
    return packet.isBinary() ? packet.binary().length : packet.text().length() + 1L;
  }
}
