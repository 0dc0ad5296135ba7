package io.realtimegateway.protocol.engine;

/** Encodes and decodes Engine.IO v4 packets as WebSocket frames. */
public final class EnginePacketCodec {

  private EnginePacketCodec() {}

  /** Decodes a WebSocket text frame: the type digit followed by the packet's text data. */
  public static EnginePacket decodeText(String frame) throws EngineProtocolException {
    if (frame == null || frame.isEmpty()) {
      throw new EngineProtocolException("empty packet");
    }
    EnginePacketType type = EnginePacketType.fromCode(frame.charAt(0));
    if (type == null) {
      throw new EngineProtocolException("unknown packet type '" + frame.charAt(0) + "'");
    }
    return EnginePacket.of(type, frame.substring(1));
  }

  /** A WebSocket binary frame is always the data of a binary MESSAGE, without a type prefix. */
  public static EnginePacket decodeBinary(byte[] frame) {
    return EnginePacket.binaryMessage(frame);
  }

  /** Encodes a text packet as a WebSocket text frame. Binary packets go out as binary frames. */
  public static String encodeText(EnginePacket packet) {
    if (packet.isBinary()) {
      throw new IllegalArgumentException("binary packets are sent as binary frames");
    }
    return packet.type().code() + packet.text();
  }
}
