package io.realtimegateway.protocol.socket;

/** Socket.IO v5 packet types, each sent as its single-digit code. */
public enum SocketPacketType {
  CONNECT,
  DISCONNECT,
  EVENT,
  ACK,
  CONNECT_ERROR,
  BINARY_EVENT,
  BINARY_ACK;

  /** The digit that starts an encoded packet of this type. */
  public char code() {
    return (char) ('0' + ordinal());
  }

  /** The type for a wire code, or {@code null} when the code is not a Socket.IO v5 type. */
  public static SocketPacketType fromCode(char code) {
    int index = code - '0';
    SocketPacketType[] types = values();
    return index >= 0 && index < types.length ? types[index] : null;
  }

  /** Whether packets of this type carry binary attachments after the text header. */
  public boolean isBinary() {
    return this == BINARY_EVENT || this == BINARY_ACK;
  }
}
