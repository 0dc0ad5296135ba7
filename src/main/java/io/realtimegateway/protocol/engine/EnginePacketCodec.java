package io.realtimegateway.protocol.engine;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Encodes and decodes Engine.IO v4 packets: single packets as WebSocket frames, and packet lists as
 * HTTP long-polling payloads (records separated by {@code \u001e}, binary as {@code b<base64>}).
 */
public final class EnginePacketCodec {

  /** Separates packets in a long-polling payload. */
  public static final char RECORD_SEPARATOR = '\u001e';

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

  /** Encodes packets as one long-polling payload. */
  public static String encodePayload(List<EnginePacket> packets) {
    StringBuilder payload = new StringBuilder();
    for (EnginePacket packet : packets) {
      if (!payload.isEmpty()) {
        payload.append(RECORD_SEPARATOR);
      }
      if (packet.isBinary()) {
        payload.append('b').append(Base64.getEncoder().encodeToString(packet.binary()));
      } else {
        payload.append(encodeText(packet));
      }
    }
    return payload.toString();
  }

  /** Decodes a long-polling payload into its packets. */
  public static List<EnginePacket> decodePayload(String payload) throws EngineProtocolException {
    List<EnginePacket> packets = new ArrayList<>();
    int start = 0;
    while (start <= payload.length()) {
      int end = payload.indexOf(RECORD_SEPARATOR, start);
      if (end < 0) {
        end = payload.length();
      }
      String record = payload.substring(start, end);
      if (record.startsWith("b")) {
        try {
          packets.add(EnginePacket.binaryMessage(Base64.getDecoder().decode(record.substring(1))));
        } catch (IllegalArgumentException e) {
          throw new EngineProtocolException("invalid base64 in binary packet");
        }
      } else {
        packets.add(decodeText(record));
      }
      start = end + 1;
    }
    return packets;
  }
}
