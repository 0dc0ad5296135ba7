package io.realtimegateway.protocol.engine;

/** Engine.IO v4 packet types, each sent as its single-digit code. */
public enum EnginePacketType {
  OPEN('0'),
  CLOSE('1'),
  PING('2'),
  PONG('3'),
  MESSAGE('4'),
  UPGRADE('5'),
  NOOP('6');

  private final char code;

  EnginePacketType(char code) {
    this.code = code;
  }

  /** The character that starts a text-encoded packet of this type. */
  public char code() {
    return code;
  }

  /** The type for a wire code, or {@code null} when the code is not an Engine.IO v4 type. */
  public static EnginePacketType fromCode(char code) {
    int index = code - '0';
    EnginePacketType[] types = values();
    return index >= 0 && index < types.length ? types[index] : null;
  }
}
