package io.realtimegateway.fuzz;

import io.realtimegateway.protocol.engine.EnginePacket;
import io.realtimegateway.protocol.engine.EnginePacketCodec;
import io.realtimegateway.protocol.engine.EngineProtocolException;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketDecoder;
import io.realtimegateway.protocol.socket.SocketPacketType;
import io.realtimegateway.protocol.socket.SocketProtocolException;

/**
 * What the gateway must do with each message of one connection, from the pure codecs and the
 * documented rules: a message the codecs refuse, an Engine.IO OPEN / UPGRADE / CLOSE or a Socket.IO
 * CONNECT_ERROR closes the connection; everything else keeps it open. Invalid UTF-8 in a text
 * message and broken WebSocket framing are Vert.x's to judge ({@link Verdict#EITHER}).
 */
final class ProtocolModel {

  /** What must follow a message. */
  enum Verdict {
    KEEP_OPEN,
    CLOSE,
    EITHER
  }

  private final int maxPayload;
  private final SocketPacketDecoder decoder;
  private String codecCrash;

  ProtocolModel(int maxPayload, int maxAttachments) {
    this.maxPayload = maxPayload;
    this.decoder = new SocketPacketDecoder(maxAttachments);
  }

  /** Whether the next text message would break a binary packet that awaits its attachments. */
  boolean isAwaitingAttachments() {
    return decoder.isAwaitingAttachments();
  }

  /**
   * A RuntimeException the codecs threw on one of this connection's messages (a codec bug: they
   * must only throw their protocol exceptions), or null.
   */
  String codecCrash() {
    return codecCrash;
  }

  Verdict accept(FuzzFrame frame) {
    if (frame.payload().length > maxPayload) {
      return Verdict.CLOSE;
    }
    try {
      return switch (frame.kind()) {
        case RAW -> Verdict.EITHER;
        // RFC 6455 caps control frames at 125 bytes; a longer one is Netty's to refuse.
        case WS_PING -> frame.payload().length <= 125 ? Verdict.KEEP_OPEN : Verdict.EITHER;
        case BINARY -> binary(frame.payload());
        case TEXT -> frame.isValidText() ? text(frame.text()) : Verdict.EITHER;
      };
    } catch (RuntimeException e) {
      codecCrash = e.toString();
      return Verdict.EITHER;
    }
  }

  private Verdict text(String frame) {
    EnginePacket packet;
    try {
      packet = EnginePacketCodec.decodeText(frame);
    } catch (EngineProtocolException e) {
      return Verdict.CLOSE;
    }
    return switch (packet.type()) {
      case PING, PONG, NOOP -> Verdict.KEEP_OPEN;
      case OPEN, UPGRADE, CLOSE -> Verdict.CLOSE;
      case MESSAGE -> socket(packet.text(), null);
    };
  }

  private Verdict binary(byte[] frame) {
    return socket(null, frame);
  }

  private Verdict socket(String text, byte[] binary) {
    SocketPacket packet;
    try {
      packet = text != null ? decoder.decodeText(text) : decoder.decodeBinary(binary);
    } catch (SocketProtocolException e) {
      return Verdict.CLOSE;
    }
    return packet != null && packet.type() == SocketPacketType.CONNECT_ERROR
        ? Verdict.CLOSE
        : Verdict.KEEP_OPEN;
  }
}
