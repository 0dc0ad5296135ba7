package io.realtimegateway.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Builds what one fuzz connection sends, as a pure function of (run seed, connection index), so a
 * seed replays the same frames. A script is a few units (one packet with its binary attachments, or
 * one Engine.IO packet): valid packets from a corpus of what the Open WebUI client sends,
 * well-formed events to the real handlers with odd arguments, mutated corpus units, purely random
 * frames, and rarer exotic ones (namespaces, odd CONNECT auth, huge numbers, deep nesting, big
 * frames, bad UTF-8, broken WebSocket framing).
 */
final class FrameGenerator {

  /** The events the gateway has handlers for. */
  static final List<String> HANDLER_EVENTS =
      List.of(
          "user-join",
          "heartbeat",
          "usage",
          "join-channels",
          "join-note",
          "events:channel",
          "events:chat");

  /** Frames stay below the WebSocket message limit: oversize frames have their own test. */
  static final int MAX_FRAME_BYTES = 900_000;

  private static final String[] OTHER_EVENTS = {
    "ydoc:document:join", "message", "events", "", " ", "USER-JOIN", "user-join ", "\u0000"
  };
  private static final String[] ODD_NUMBERS = {
    "-0",
    "0.0",
    "1e308",
    "1e309",
    "-1e309",
    "1e-400",
    "4.9e-324",
    "9007199254740993",
    "-9223372036854775809",
    "18446744073709551616",
    "1E+2",
    "123456789012345678901234567890.5e-10",
    "2147483648",
    "-2147483649"
  };
  private static final String[] INVALID_NUMBERS = {
    "01", "1.", ".5", "+1", "NaN", "Infinity", "0x10"
  };
  private static final String[] ODD_STRINGS = {
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "\\ud83d\\ude00",
    "😀",
    "\u202e",
    "__proto__",
    "constructor",
    "%s%n%d",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "user:control",
    "channel:general",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b\\f\\n\\r\\t",
    "\ufeff",
    "\u2028",
    "\uffff",
    "general"
  };
  private static final String[] ODD_KEYS = {
    "token",
    "auth",
    "model",
    "channel_id",
    "note_id",
    "data",
    "type",
    "_placeholder",
    "num",
    "",
    "__proto__",
    "constructor",
    "toString",
    "\u0000",
    "😀",
    "a\"b",
    "k".repeat(300),
    "1",
    "id"
  };
  private static final String[] NAMESPACES = {
    "/admin", "/", "/ws/socket.io", "/\u00e9", "/a,b", "//", "/" + "n".repeat(300)
  };
  private static final char[] INTERESTING_CHARS = {
    '"', '[', ']', '{', '}', ',', ':', '-', '/', '\\', '0', '1', '9', ' ', '\u0000', '\u001e',
    '\ufeff', '\u2028', '\uffff', 'e', '.', 'n', 't'
  };
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xff},
    {(byte) 0xc3, 0x28},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xc0, (byte) 0xaf},
    {(byte) 0xe2, (byte) 0x82},
    {(byte) 0x80}
  };
  private static final String GRAMMAR_CHUNKS =
      "0123456789[]{}\",:-/ _placeholder num true false null \\u00 e. ";

  /** What one connection does. */
  record Script(
      long index,
      List<FuzzFrame> frames,
      RawWebSocket.CloseMode close,
      boolean call,
      long answerSeed) {}

  private final long seed;
  private final FuzzTokens tokens;

  FrameGenerator(long seed, FuzzTokens tokens) {
    this.seed = seed;
    this.tokens = tokens;
  }

  /** The script of connection {@code index}: the same (seed, index) always gives the same one. */
  Script script(long index) {
    Random r = new Random(mix(seed, index));
    List<FuzzFrame> frames = new ArrayList<>();
    if (r.nextInt(100) < 85) {
      frames.add(FuzzFrame.text("40" + connectAuth(r)));
      if (r.nextBoolean()) {
        frames.addAll(event(r, "user-join", authPayload(validToken(r)), ackId(r), false));
      }
    }
    // A clean script sends valid packets (odd arguments included) and at most one hostile unit at
    // its end, so handlers see long conversations; a hostile one mixes everything.
    boolean clean = r.nextInt(100) < 45;
    int units = r.nextInt(4) == 0 ? 1 + r.nextInt(60) : 1 + r.nextInt(24);
    for (int u = 0; u < units; u++) {
      frames.addAll(clean ? cleanUnit(r) : unit(r));
    }
    if (clean && r.nextBoolean()) {
      frames.addAll(unit(r));
    }
    if (r.nextInt(300) == 0) {
      frames.add(brokenWebSocketFrame(r));
    }
    frames.replaceAll(
        frame ->
            frame.payload().length <= MAX_FRAME_BYTES
                ? frame
                : new FuzzFrame(
                    frame.kind(),
                    Arrays.copyOf(frame.payload(), MAX_FRAME_BYTES),
                    frame.fragments()));
    int close = r.nextInt(10);
    RawWebSocket.CloseMode mode =
        close < 8
            ? RawWebSocket.CloseMode.CLOSE_FRAME
            : close == 8 ? RawWebSocket.CloseMode.FIN : RawWebSocket.CloseMode.RESET;
    return new Script(index, frames, mode, r.nextInt(clean ? 3 : 6) == 0, r.nextLong());
  }

  /** How a client answers the server's call {@code ackId}: mostly right, sometimes not at all. */
  List<FuzzFrame> callAnswer(Random r, long ackId) {
    int k = r.nextInt(100);
    if (k < 50) {
      return List.of(FuzzFrame.text("43" + ackId + args(r, 0, 3)));
    }
    if (k < 65) {
      return binaryPacket(r, "46", "", Long.toString(ackId), "[" + placeholder(0) + "]", 1);
    }
    if (k < 75) {
      return List.of(FuzzFrame.text("43" + (ackId + 1 + r.nextInt(5)) + "[]"));
    }
    if (k < 85) {
      return List.of(FuzzFrame.text("43" + ackId + "[" + oddValue(r, 0) + "]"));
    }
    return mutate(r, List.of(FuzzFrame.text("43" + ackId + "[\"ok\"]")));
  }

  private List<FuzzFrame> cleanUnit(Random r) {
    return r.nextInt(10) < 6 ? validUnit(r) : oddEvent(r);
  }

  private List<FuzzFrame> unit(Random r) {
    int k = r.nextInt(100);
    List<FuzzFrame> unit;
    if (k < 35) {
      unit = validUnit(r);
    } else if (k < 55) {
      unit = oddEvent(r);
    } else if (k < 80) {
      unit = mutate(r, validUnit(r));
    } else if (k < 92) {
      unit = List.of(randomFrame(r));
    } else {
      unit = exotic(r);
    }
    if (r.nextInt(40) == 0) {
      unit = new ArrayList<>(unit);
      int i = r.nextInt(unit.size());
      FuzzFrame frame = unit.get(i);
      if (frame.kind() == FuzzFrame.Kind.TEXT || frame.kind() == FuzzFrame.Kind.BINARY) {
        unit.set(i, frame.fragmented(2 + r.nextInt(3)));
      }
    }
    return unit;
  }

  // ---------------------------------------------------------------- corpus of valid units

  private List<FuzzFrame> validUnit(Random r) {
    int k = r.nextInt(100);
    if (k < 60) {
      String name = HANDLER_EVENTS.get(r.nextInt(HANDLER_EVENTS.size()));
      return event(r, name, typicalPayload(r, name), ackId(r), r.nextInt(5) == 0);
    }
    if (k < 68) {
      String name = OTHER_EVENTS[r.nextInt(OTHER_EVENTS.length)];
      return event(r, name, r.nextBoolean() ? "{}" : oddValue(r, 2), ackId(r), r.nextInt(5) == 0);
    }
    if (k < 72) {
      return List.of(
          FuzzFrame.text("42" + optionalAck(r) + "[" + r.nextInt(100) + ",\"numeric\"]"));
    }
    if (k < 82) {
      long id = r.nextInt(3) == 0 ? r.nextInt(1_000_000_000) : r.nextInt(5);
      return r.nextInt(3) == 0
          ? binaryPacket(r, "46", "", Long.toString(id), "[" + placeholder(0) + ",1]", 1)
          : List.of(FuzzFrame.text("43" + id + args(r, 0, 2)));
    }
    if (k < 94) {
      String[] engine = {"2", "2probe", "3", "3probe", "6", "2" + randomAscii(r, 20)};
      return List.of(FuzzFrame.text(engine[r.nextInt(engine.length)]));
    }
    if (k < 97) {
      return List.of(FuzzFrame.text("40" + connectAuth(r)));
    }
    if (k < 99) {
      return List.of(FuzzFrame.text(r.nextBoolean() ? "41" : "41/admin,"));
    }
    return List.of(new FuzzFrame(FuzzFrame.Kind.WS_PING, randomBytes(r, r.nextInt(126)), 1));
  }

  private String typicalPayload(Random r, String event) {
    return switch (event) {
      case "user-join", "join-channels" -> authPayload(anyToken(r));
      case "heartbeat" -> "{}";
      case "usage" ->
          "{\"action\":\"chat\",\"model\":\""
              + pick(r, "gpt-4o", "llama3:8b", "m-" + r.nextInt(3))
              + "\",\"chat_id\":\"chat-"
              + r.nextInt(10)
              + "\"}";
      case "join-note" ->
          "{\"note_id\":\""
              + pick(r, "shared-note", "private-note", "shared-note")
              + "\",\"auth\":{\"token\":\""
              + anyToken(r)
              + "\"}}";
      case "events:channel" ->
          "{\"channel_id\":\""
              + pick(r, "general", "random", "nope")
              + "\",\"message_id\":"
              + pick(r, "null", "\"m1\"")
              + ",\"data\":{\"type\":\""
              + pick(r, "typing", "typing", "last_read_at")
              + "\",\"data\":{\"typing\":"
              + r.nextBoolean()
              + "}}}";
      case "events:chat" -> "{\"chat_id\":\"c1\",\"data\":{\"type\":\"last_read_at\"}}";
      default -> "{}";
    };
  }

  private String authPayload(String token) {
    return "{\"auth\":{\"token\":\"" + token + "\"}}";
  }

  private String connectAuth(Random r) {
    int k = r.nextInt(10);
    if (k < 6) {
      return "{\"token\":\"" + anyToken(r) + "\"}";
    }
    if (k < 8) {
      return r.nextBoolean() ? "" : "{}";
    }
    return "{\"token\":" + oddValue(r, 1) + "}";
  }

  /**
   * An event packet; with {@code binary} some arguments become attachments (a BINARY_EVENT followed
   * by its binary frames).
   */
  private List<FuzzFrame> event(Random r, String name, String payload, String ack, boolean binary) {
    String array = "[" + quote(name) + "," + payload;
    if (!binary) {
      return List.of(FuzzFrame.text("42" + ack + array + "]"));
    }
    int attachments = 1 + r.nextInt(r.nextInt(8) == 0 ? 10 : 3);
    StringBuilder json = new StringBuilder(array);
    for (int i = 0; i < attachments; i++) {
      json.append(',');
      if (r.nextBoolean()) {
        json.append(placeholder(i));
      } else {
        json.append("{\"file\":").append(placeholder(i)).append('}');
      }
    }
    return binaryPacket(r, "45", "", ack, json.append(']').toString(), attachments);
  }

  private List<FuzzFrame> binaryPacket(
      Random r, String type, String namespace, String ack, String json, int attachments) {
    List<FuzzFrame> frames = new ArrayList<>();
    frames.add(FuzzFrame.text(type + attachments + "-" + namespace + ack + json));
    for (int i = 0; i < attachments; i++) {
      frames.add(FuzzFrame.binary(attachment(r)));
    }
    return frames;
  }

  private byte[] attachment(Random r) {
    int k = r.nextInt(10);
    if (k < 6) {
      return randomBytes(r, r.nextInt(r.nextInt(40) == 0 ? 20_000 : 64));
    }
    if (k < 8) {
      // Text that looks like a packet, with bad UTF-8 in it: still just bytes to the gateway.
      byte[] text = "42[\"usage\",{\"model\":\"x\"}]".getBytes(StandardCharsets.UTF_8);
      return insert(text, r.nextInt(text.length), BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
    }
    return k == 8 ? new byte[0] : "2probe".getBytes(StandardCharsets.US_ASCII);
  }

  // ---------------------------------------------------------------- odd arguments

  private List<FuzzFrame> oddEvent(Random r) {
    String name =
        r.nextInt(10) < 8
            ? HANDLER_EVENTS.get(r.nextInt(HANDLER_EVENTS.size()))
            : OTHER_EVENTS[r.nextInt(OTHER_EVENTS.length)];
    String payload =
        switch (r.nextInt(4)) {
          case 0 -> oddValue(r, 0);
          case 1 -> shapedOddPayload(r, name);
          case 2 -> shapedOddPayload(r, name) + "," + oddValue(r, 1);
          default -> args(r, 0, 4).replaceAll("^\\[|\\]$", "");
        };
    if (payload.isEmpty()) {
      return List.of(FuzzFrame.text("42" + optionalAck(r) + "[" + quote(name) + "]"));
    }
    return event(r, name, payload, ackId(r), r.nextInt(6) == 0);
  }

  /** The handler's expected shape, with odd values in its fields. */
  private String shapedOddPayload(Random r, String event) {
    return switch (event) {
      case "user-join", "join-channels" ->
          r.nextBoolean()
              ? "{\"auth\":" + oddValue(r, 1) + "}"
              : "{\"auth\":{\"token\":" + oddOr(r, quote(anyToken(r))) + "}}";
      case "usage" ->
          "{\"action\":"
              + oddOr(r, "\"chat\"")
              + ",\"model\":"
              + oddOr(r, "\"m\"")
              + ",\"chat_id\":"
              + oddOr(r, "\"c\"")
              + "}";
      case "join-note" ->
          "{\"note_id\":"
              + oddOr(r, "\"shared-note\"")
              + ",\"auth\":{\"token\":"
              + oddOr(r, quote(validToken(r)))
              + "}}";
      case "events:channel" ->
          "{\"channel_id\":"
              + oddOr(r, "\"general\"")
              + ",\"message_id\":"
              + oddValue(r, 2)
              + ",\"data\":{\"type\":"
              + oddOr(r, "\"typing\"")
              + ",\"data\":"
              + oddValue(r, 1)
              + "}}";
      default -> "{\"chat_id\":" + oddValue(r, 2) + ",\"data\":" + oddValue(r, 1) + "}";
    };
  }

  private String oddOr(Random r, String usual) {
    return r.nextBoolean() ? usual : oddValue(r, 2);
  }

  private String args(Random r, int min, int max) {
    StringBuilder json = new StringBuilder("[");
    int n = min + r.nextInt(max - min + 1);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(oddValue(r, 1));
    }
    return json.append(']').toString();
  }

  /** A JSON value meant to surprise a handler; rarely not valid JSON at all. */
  String oddValue(Random r, int depth) {
    StringBuilder json = new StringBuilder();
    oddValue(r, depth, json);
    return json.toString();
  }

  private void oddValue(Random r, int depth, StringBuilder json) {
    int k = r.nextInt(depth > 3 ? 10 : 14);
    switch (k) {
      case 0 -> json.append("null");
      case 1 -> json.append(r.nextBoolean());
      case 2 -> json.append(r.nextInt(2001) - 1000);
      case 3 -> json.append(ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)]);
      case 4 -> json.append(quote(randomAscii(r, 12)));
      case 5 -> json.append('"').append(ODD_STRINGS[r.nextInt(ODD_STRINGS.length)]).append('"');
      case 6 -> json.append(r.nextInt(50) == 0 ? INVALID_NUMBERS[r.nextInt(7)] : "\"\"");
      case 7 -> json.append('"').append("z".repeat(r.nextInt(r.nextInt(100) == 0 ? 20_000 : 300)));
      case 8 -> json.append(bigInteger(r));
      case 9 -> json.append(oddPlaceholder(r));
      case 10, 11 -> {
        json.append('[');
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            json.append(',');
          }
          oddValue(r, depth + 1, json);
        }
        json.append(']');
      }
      default -> {
        json.append('{');
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            json.append(',');
          }
          // A fixed set of keys: random ones would only fill Jackson's bounded name cache.
          String key = ODD_KEYS[r.nextInt(ODD_KEYS.length)];
          json.append(quote(key)).append(':');
          oddValue(r, depth + 1, json);
        }
        json.append('}');
      }
    }
    if (k == 7) {
      json.append('"');
    }
  }

  private String bigInteger(Random r) {
    int digits = pick(r, 16, 19, 20, 40, 99, 100, 100, 101, 150);
    StringBuilder number = new StringBuilder(r.nextBoolean() ? "-" : "");
    number.append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < digits; i++) {
      number.append((char) ('0' + r.nextInt(10)));
    }
    return number.toString();
  }

  private String oddPlaceholder(Random r) {
    String num = pick(r, "0", "1", "-1", "9", "10", "1e10", "\"0\"", "0.5", "null", "2147483648");
    String flag = pick(r, "true", "true", "false", "\"true\"", "1");
    return "{\"_placeholder\":" + flag + ",\"num\":" + num + "}";
  }

  // ---------------------------------------------------------------- exotic

  private List<FuzzFrame> exotic(Random r) {
    switch (r.nextInt(12)) {
      case 0 -> {
        String ns = NAMESPACES[r.nextInt(NAMESPACES.length)];
        String packet = pick(r, "0", "1", "2", "3");
        String body = packet.equals("0") ? connectAuth(r) : packet.equals("1") ? "" : "[\"x\"]";
        return List.of(FuzzFrame.text("4" + packet + ns + "," + body));
      }
      case 1 -> {
        return List.of(FuzzFrame.text("40" + pick(r, "[]", "\"token\"", "null", "1", "{}{}")));
      }
      case 2 -> {
        String[] engine = {
          "", "0", "0{}", "1", "5", "7", "9", "a", " ", "4", "4 ", "\u00004", "4\u001e4"
        };
        return List.of(FuzzFrame.text(engine[r.nextInt(engine.length)]));
      }
      case 3 -> {
        // Ack ids and attachment counts at and beyond what the codec accepts.
        String[] huge = {
          "42" + "9".repeat(15) + "[\"heartbeat\"]",
          "42" + "9".repeat(16) + "[\"heartbeat\"]",
          "43" + "1".repeat(15) + "[]",
          "43" + "9".repeat(40) + "[]",
          "45999999-[\"heartbeat\"]",
          "451234567-[\"heartbeat\"]",
          "4511-[\"heartbeat\"]",
          "42[\"usage\",{\"model\":" + bigInteger(r) + "}]",
          "42[\"heartbeat\"," + ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)] + "]"
        };
        return List.of(FuzzFrame.text(huge[r.nextInt(huge.length)]));
      }
      case 4 -> {
        int depth = pick(r, 50, 499, 500, 501, 999, 1000, 1001, 3000);
        boolean objects = r.nextBoolean();
        String open = objects ? "{\"a\":" : "[";
        String close = objects ? "}" : "]";
        String name = HANDLER_EVENTS.get(r.nextInt(HANDLER_EVENTS.size()));
        return List.of(
            FuzzFrame.text(
                "42[" + quote(name) + "," + open.repeat(depth) + "1" + close.repeat(depth) + "]"));
      }
      case 5 -> {
        if (r.nextInt(8) != 0) {
          return List.of(FuzzFrame.text("42[\"usage\",{\"model\":\"" + "m".repeat(2000) + "\"}]"));
        }
        // Log-uniform between 10 KB and MAX_FRAME_BYTES.
        int size = (int) Math.round(10_000 * Math.pow(MAX_FRAME_BYTES / 10_000.0, r.nextDouble()));
        String name = HANDLER_EVENTS.get(r.nextInt(HANDLER_EVENTS.size()));
        String prefix = "42[" + quote(name) + ",{\"data\":\"";
        return List.of(
            FuzzFrame.text(prefix + "b".repeat(Math.max(0, size - prefix.length() - 4)) + "\"}]"));
      }
      case 6 -> {
        byte[] text = ("42[\"usage\",{\"model\":\"m\"}]").getBytes(StandardCharsets.UTF_8);
        byte[] bad = insert(text, 1 + r.nextInt(text.length - 1), BAD_UTF8[r.nextInt(7)]);
        return List.of(
            new FuzzFrame(r.nextBoolean() ? FuzzFrame.Kind.TEXT : FuzzFrame.Kind.BINARY, bad, 1));
      }
      case 7 -> {
        // Attachments that do not match the header: missing, one too many, text in between.
        List<FuzzFrame> frames = new ArrayList<>(event(r, "usage", "{\"model\":\"m\"}", "", true));
        switch (r.nextInt(3)) {
          case 0 -> frames.remove(frames.size() - 1);
          case 1 -> frames.add(FuzzFrame.binary(randomBytes(r, 8)));
          default -> frames.add(1, FuzzFrame.text("42[\"heartbeat\"]"));
        }
        return frames;
      }
      case 8 -> {
        String ns = NAMESPACES[r.nextInt(NAMESPACES.length)];
        return binaryPacket(r, "45", ns + ",", ackId(r), "[\"usage\"," + placeholder(0) + "]", 1);
      }
      case 9 -> {
        return List.of(new FuzzFrame(FuzzFrame.Kind.WS_PING, randomBytes(r, r.nextInt(126)), 1));
      }
      case 10 -> {
        return List.of(
            FuzzFrame.text(
                "42[\"events:channel\",{\"channel_id\":\"general\",\"data\":"
                    + "{\"type\":\"typing\",\"data\":"
                    + oddValue(r, 0)
                    + "}}]"));
      }
      default -> {
        return List.of(
            FuzzFrame.text(
                "42"
                    + optionalAck(r)
                    + "["
                    + quote(pick(r, "connect", "disconnect", "connect_error", "newListener"))
                    + "]"));
      }
    }
  }

  /**
   * A WebSocket frame that breaks RFC 6455 but has a consistent length, so the server reads all of
   * it and can answer: reserved opcode, RSV bits, an unmasked client frame, a fragmented or long
   * control frame, a continuation without a start, a close frame with a bad code.
   */
  private FuzzFrame brokenWebSocketFrame(Random r) {
    byte[] payload = randomBytes(r, 1 + r.nextInt(20));
    int first;
    boolean masked = true;
    switch (r.nextInt(7)) {
      case 0 -> first = 0x80 | (3 + r.nextInt(5));
      case 1 -> first = 0x80 | (0x10 << r.nextInt(3)) | 1;
      case 2 -> {
        first = 0x81;
        masked = false;
      }
      case 3 -> first = RawWebSocket.PING;
      case 4 -> {
        first = 0x80 | RawWebSocket.PING;
        payload = randomBytes(r, 126 + r.nextInt(100));
      }
      case 5 -> first = 0x80;
      default -> {
        first = 0x80 | RawWebSocket.CLOSE;
        payload = new byte[] {0x03, (byte) 0xf2, 'x'};
      }
    }
    int length = payload.length;
    byte[] header =
        length < 126
            ? new byte[] {(byte) first, (byte) ((masked ? 0x80 : 0) | length)}
            : new byte[] {
              (byte) first, (byte) ((masked ? 0x80 : 0) | 126), (byte) (length >>> 8), (byte) length
            };
    byte[] mask = masked ? randomBytes(r, 4) : new byte[0];
    byte[] frame = new byte[header.length + mask.length + length];
    System.arraycopy(header, 0, frame, 0, header.length);
    System.arraycopy(mask, 0, frame, header.length, mask.length);
    for (int i = 0; i < length; i++) {
      frame[header.length + mask.length + i] = (byte) (payload[i] ^ (masked ? mask[i & 3] : 0));
    }
    return new FuzzFrame(FuzzFrame.Kind.RAW, frame, 1);
  }

  // ---------------------------------------------------------------- random frames

  private FuzzFrame randomFrame(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> FuzzFrame.binary(randomBytes(r, r.nextInt(300)));
      case 1 -> FuzzFrame.text(randomAscii(r, r.nextInt(200)));
      case 2 -> FuzzFrame.text(randomUnicode(r, r.nextInt(100)));
      case 3, 4 -> FuzzFrame.text("4" + (char) ('0' + r.nextInt(10)) + grammarSoup(r));
      default -> FuzzFrame.text((char) ('0' + r.nextInt(10)) + grammarSoup(r));
    };
  }

  private String grammarSoup(Random r) {
    StringBuilder soup = new StringBuilder();
    int n = r.nextInt(40);
    for (int i = 0; i < n; i++) {
      int at = r.nextInt(GRAMMAR_CHUNKS.length());
      soup.append(GRAMMAR_CHUNKS, at, Math.min(GRAMMAR_CHUNKS.length(), at + 1 + r.nextInt(6)));
    }
    return soup.toString();
  }

  // ---------------------------------------------------------------- mutation

  /**
   * One unit with one to three mutations: character edits of a frame, or frames dropped, repeated,
   * swapped.
   */
  List<FuzzFrame> mutate(Random r, List<FuzzFrame> unit) {
    List<FuzzFrame> frames = new ArrayList<>(unit);
    int rounds = 1 + r.nextInt(3);
    for (int round = 0; round < rounds; round++) {
      int structural = r.nextInt(10);
      if (structural == 0 && frames.size() > 1) {
        frames.remove(r.nextInt(frames.size()));
      } else if (structural == 1) {
        frames.add(r.nextInt(frames.size() + 1), frames.get(r.nextInt(frames.size())));
      } else if (structural == 2 && frames.size() > 1) {
        int a = r.nextInt(frames.size());
        int b = r.nextInt(frames.size());
        FuzzFrame swap = frames.get(a);
        frames.set(a, frames.get(b));
        frames.set(b, swap);
      } else {
        // The first frame is the header: mutate it most often.
        int i = r.nextInt(3) == 0 ? r.nextInt(frames.size()) : 0;
        FuzzFrame frame = frames.get(i);
        frames.set(
            i,
            frame.kind() == FuzzFrame.Kind.TEXT && frame.isValidText()
                ? mutateText(r, frame.text())
                : mutateBytes(r, frame));
      }
    }
    return frames;
  }

  private FuzzFrame mutateText(Random r, String text) {
    int length = text.length();
    int at = length == 0 ? 0 : r.nextInt(length);
    String mutated =
        switch (r.nextInt(13)) {
          case 0 ->
              text.substring(0, at)
                  + text.substring(Math.min(length, at + 1 + r.nextInt(Math.max(1, length / 4))));
          case 1 ->
              text.substring(0, at)
                  + INTERESTING_CHARS[r.nextInt(INTERESTING_CHARS.length)]
                  + text.substring(at);
          case 2 ->
              length == 0
                  ? text
                  : text.substring(0, at)
                      + INTERESTING_CHARS[r.nextInt(INTERESTING_CHARS.length)]
                      + text.substring(at + 1);
          case 3 ->
              text.substring(0, at)
                  + text.substring(at, Math.min(length, at + 1 + r.nextInt(20)))
                  + text.substring(at);
          case 4 -> text.substring(0, at);
          case 5 ->
              length < 2
                  ? text
                  : text.charAt(0)
                      + String.valueOf((char) ('0' + r.nextInt(10)))
                      + text.substring(2);
          case 6 -> replaceNumber(r, text);
          case 7 -> {
            String other = validUnit(r).get(0).text();
            yield text.substring(0, at) + other.substring(r.nextInt(Math.max(1, other.length())));
          }
          case 8 -> {
            if (length < 2) {
              yield text;
            }
            int b = r.nextInt(length);
            char[] chars = text.toCharArray();
            char swap = chars[at];
            chars[at] = chars[b];
            chars[b] = swap;
            yield new String(chars);
          }
          case 9 -> {
            int depth = 1 + r.nextInt(r.nextInt(10) == 0 ? 1200 : 30);
            yield text.substring(0, at)
                + "[".repeat(depth)
                + "]".repeat(depth)
                + text.substring(at);
          }
          case 10 -> text.substring(0, at) + oddPlaceholder(r) + text.substring(at);
          case 11 -> {
            if (length == 0) {
              yield text;
            }
            char[] chars = text.toCharArray();
            chars[at] = (char) (chars[at] ^ (1 << r.nextInt(16)));
            yield new String(chars);
          }
          default -> text.substring(0, at) + oddValue(r, 2) + text.substring(at);
        };
    return FuzzFrame.text(mutated);
  }

  private String replaceNumber(Random r, String text) {
    for (int tries = 0; tries < 5; tries++) {
      int at = r.nextInt(Math.max(1, text.length()));
      if (at < text.length() && Character.isDigit(text.charAt(at))) {
        int end = at;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        return text.substring(0, at) + bigInteger(r).replace("-", "") + text.substring(end);
      }
    }
    return text + bigInteger(r);
  }

  private FuzzFrame mutateBytes(Random r, FuzzFrame frame) {
    byte[] bytes = frame.payload();
    int at = bytes.length == 0 ? 0 : r.nextInt(bytes.length);
    byte[] mutated =
        switch (r.nextInt(6)) {
          case 0 -> {
            byte[] copy = bytes.clone();
            if (copy.length > 0) {
              copy[at] ^= (byte) (1 << r.nextInt(8));
            }
            yield copy;
          }
          case 1 -> insert(bytes, at, randomBytes(r, 1 + r.nextInt(8)));
          case 2 -> Arrays.copyOf(bytes, at);
          case 3 -> insert(bytes, at, BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
          case 4 -> insert(bytes, at, bytes);
          default -> bytes;
        };
    FuzzFrame.Kind kind = frame.kind();
    if (r.nextInt(4) == 0 && (kind == FuzzFrame.Kind.TEXT || kind == FuzzFrame.Kind.BINARY)) {
      // Same bytes in the other kind of message: a header as binary, an attachment as text.
      kind = kind == FuzzFrame.Kind.TEXT ? FuzzFrame.Kind.BINARY : FuzzFrame.Kind.TEXT;
    }
    return new FuzzFrame(kind, mutated, frame.fragments());
  }

  // ---------------------------------------------------------------- helpers

  private String validToken(Random r) {
    return tokens.valid.get(r.nextInt(tokens.valid.size()));
  }

  private String anyToken(Random r) {
    int k = r.nextInt(40);
    if (k == 0) {
      return unsignedTokenWithOddClaim(r);
    }
    return k < 10 ? tokens.refused.get(r.nextInt(tokens.refused.size())) : validToken(r);
  }

  /**
   * A token whose signature cannot verify, with a claim name of 1 to 16 KB that no other token has:
   * a verifier that parses claims before it checks the signature must not keep them.
   */
  private static String unsignedTokenWithOddClaim(Random r) {
    StringBuilder name = new StringBuilder();
    int length = 1_000 + r.nextInt(15_000);
    for (int i = 0; i < length; i++) {
      name.append((char) ('a' + r.nextInt(26)));
    }
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    return url.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(
            ("{\"id\":\"member-fuzz-1\",\"" + name + "\":1}").getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(randomBytes(r, 32));
  }

  private static String ackId(Random r) {
    int k = r.nextInt(10);
    return k < 6
        ? ""
        : k < 9
            ? Integer.toString(r.nextInt(100))
            : Long.toString(Math.abs(r.nextLong() % 1_000_000_000_000_000L));
  }

  private static String optionalAck(Random r) {
    return r.nextBoolean() ? "" : Integer.toString(r.nextInt(1000));
  }

  private static String placeholder(int num) {
    return "{\"_placeholder\":true,\"num\":" + num + "}";
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  private static byte[] randomBytes(Random r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return bytes;
  }

  private static String randomAscii(Random r, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) (0x20 + r.nextInt(0x5f)));
    }
    return text.toString();
  }

  private static String randomUnicode(Random r, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int codePoint = r.nextInt(4) == 0 ? 0x10000 + r.nextInt(0x10000) : r.nextInt(0xd800);
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
    byte[] result = new byte[bytes.length + inserted.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
    return result;
  }

  /** SplitMix64 of seed and index: independent, well-spread per-connection seeds. */
  static long mix(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
