package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few Engine.IO v4 / Socket.IO v5 text frames the generator writes and reads, namespace "/"
 * only. An Engine.IO MESSAGE is {@code 4} + a Socket.IO packet, so a Socket.IO EVENT arrives as
 * {@code 42[...]} or, when the server wants an answer, {@code 42<ackId>[...]}.
 */
final class Frames {

  static final String PONG = "3";

  private static final JsonFactory JSON = new JsonFactory();

  private Frames() {}

  /** Socket.IO CONNECT with the token in the auth payload, as the web client sends it. */
  static String connect(String token) {
    return "40{\"token\":" + quote(token) + "}";
  }

  /** {@code user-join {"auth": {"token"}}}: the web client's first event after every connect. */
  static String userJoin(String token) {
    return "42[\"user-join\",{\"auth\":{\"token\":" + quote(token) + "}}]";
  }

  /** The peers' {@code join-channel {"channel"}} event, which joins room {@code channel:<x>}. */
  static String joinChannel(String channel) {
    return "42[\"join-channel\",{\"channel\":" + quote(channel) + "}]";
  }

  /** Socket.IO ACK with one argument, the answer to {@code 42<ackId>[...]}. */
  static String ack(long ackId, String jsonArgument) {
    return "43" + ackId + "[" + jsonArgument + "]";
  }

  /**
   * The ack id of an EVENT frame {@code 42<ackId>[...]}, or -1 when it has none.
   *
   * @throws IllegalArgumentException when the frame has no JSON array after the id
   */
  static long ackId(String frame) {
    int i = 2;
    long id = 0;
    while (i < frame.length() && Character.isDigit(frame.charAt(i))) {
      id = id * 10 + (frame.charAt(i) - '0');
      i++;
    }
    if (i >= frame.length() || frame.charAt(i) != '[') {
      throw new IllegalArgumentException("EVENT without a JSON array");
    }
    return i == 2 ? -1 : id;
  }

  /**
   * What the generator needs from an EVENT: its name and the fields {@code t}, {@code seq}, {@code
   * p} and {@code probe} of its first argument when that is an object. Any JSON spacing is fine
   * (python-socketio writes {@code ", "}).
   *
   * @param t nanoTime at send, -1 when absent
   * @param seq sequence number, -1 when absent
   * @param phase measurement phase, 0 when absent
   * @param probe readiness probe kind, null when absent
   */
  record Event(String name, long t, long seq, int phase, String probe) {}

  /** Parses an EVENT frame ({@code 42...}); throws on anything that is not a JSON array. */
  static Event parseEvent(String frame) throws IOException {
    int start = frame.indexOf('[');
    if (start < 0) {
      throw new IOException("EVENT without a JSON array");
    }
    try (JsonParser p = JSON.createParser(frame.substring(start))) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("EVENT payload is not an array");
      }
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw new IOException("EVENT without a name");
      }
      String name = p.getText();
      long t = -1;
      long seq = -1;
      int phase = 0;
      String probe = null;
      JsonToken token = p.nextToken();
      if (token == JsonToken.START_OBJECT) {
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          switch (field) {
            case "t" -> t = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
            case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
            case "p" -> phase = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
            case "probe" -> probe = value == JsonToken.VALUE_STRING ? p.getText() : null;
            default -> p.skipChildren();
          }
        }
        if (token != JsonToken.END_OBJECT) {
          throw new IOException("malformed EVENT argument");
        }
        token = p.nextToken();
      }
      while (token != JsonToken.END_ARRAY) {
        if (token == null) {
          throw new IOException("unterminated EVENT array");
        }
        p.skipChildren();
        token = p.nextToken();
      }
      if (p.nextToken() != null) {
        throw new IOException("trailing data after EVENT array");
      }
      return new Event(name, t, seq, phase, probe);
    }
  }

  /** A JSON string literal; tokens and ids never need more than these escapes. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
