package io.realtimegateway.protocol.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Engine.IO packet. A packet carries either text data (possibly empty) or, for a binary
 * MESSAGE, raw bytes; never both.
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary) {

  public EnginePacket {
    Objects.requireNonNull(type, "type");
    if (binary != null && text != null) {
      throw new IllegalArgumentException("a packet is either text or binary");
    }
    if (binary != null && type != EnginePacketType.MESSAGE) {
      throw new IllegalArgumentException("only MESSAGE packets carry binary data");
    }
    if (binary == null && text == null) {
      text = "";
    }
  }

  public static EnginePacket of(EnginePacketType type) {
    return new EnginePacket(type, "", null);
  }

  public static EnginePacket of(EnginePacketType type, String text) {
    return new EnginePacket(type, text, null);
  }

  public static EnginePacket message(String text) {
    return new EnginePacket(EnginePacketType.MESSAGE, text, null);
  }

  public static EnginePacket binaryMessage(byte[] data) {
    return new EnginePacket(EnginePacketType.MESSAGE, null, data);
  }

  public boolean isBinary() {
    return binary != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EnginePacket that
        && type == that.type
        && Objects.equals(text, that.text)
        && Arrays.equals(binary, that.binary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, text, Arrays.hashCode(binary));
  }

  @Override
  public String toString() {
    return isBinary()
        ? "EnginePacket[" + type + ", " + binary.length + " bytes]"
        : "EnginePacket[" + type + ", " + text + "]";
  }
}
