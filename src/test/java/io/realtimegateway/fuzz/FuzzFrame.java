package io.realtimegateway.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One WebSocket message a fuzz connection sends.
 *
 * @param kind how it goes on the wire
 * @param payload the message bytes; for {@link Kind#TEXT} possibly not UTF-8, for {@link Kind#RAW}
 *     a whole malformed WebSocket frame
 * @param fragments how many WebSocket frames the message is split into (1: not fragmented)
 */
record FuzzFrame(Kind kind, byte[] payload, int fragments) {

  /** Wire form of a fuzz message. */
  enum Kind {
    /** A text message (opcode 1); the payload may be invalid UTF-8. */
    TEXT,
    /** A binary message (opcode 2). */
    BINARY,
    /** A WebSocket PING control frame: Netty answers it, the gateway never sees it. */
    WS_PING,
    /** Bytes written to the TCP stream as they are: a WebSocket frame that breaks RFC 6455. */
    RAW
  }

  static FuzzFrame text(String text) {
    return new FuzzFrame(Kind.TEXT, text.getBytes(StandardCharsets.UTF_8), 1);
  }

  static FuzzFrame binary(byte[] data) {
    return new FuzzFrame(Kind.BINARY, data, 1);
  }

  FuzzFrame fragmented(int count) {
    return new FuzzFrame(kind, payload, count);
  }

  /** Whether this is a text message whose payload is valid UTF-8. */
  boolean isValidText() {
    if (kind != Kind.TEXT) {
      return false;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** A short, printable form for failure reports: Java-escaped text or hex, at most 400 chars. */
  String describe() {
    String body =
        isValidText() ? '"' + escape(text()) + '"' : "0x" + HexFormat.of().formatHex(payload);
    String shown =
        body.length() > 400 ? body.substring(0, 400) + "...(" + body.length() + ")" : body;
    return kind + (fragments > 1 ? "x" + fragments : "") + " " + payload.length + "B " + shown;
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 500));
    for (int i = 0; i < text.length() && out.length() < 500; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
