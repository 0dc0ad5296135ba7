package io.realtimegateway.protocol.socket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes Socket.IO v5 packets and decodes their text part. Binary attachments are split out as
 * placeholders {@code {"_placeholder":true,"num":N}} on encode and put back by {@link
 * SocketPacketDecoder}.
 *
 * <p>Wire form: {@code <type>[<attachments>-][<namespace>,][<ack id>][<json>]}.
 */
public final class SocketPacketCodec {

  /** Event names a client may not send: the client library reserves them for itself. */
  private static final Set<String> RESERVED_EVENTS =
      Set.of(
          "connect",
          "connect_error",
          "disconnect",
          "disconnecting",
          "newListener",
          "removeListener");

  /** Longer ack ids would overflow; socket.io-client counts up from 0. */
  private static final int MAX_ACK_ID_DIGITS = 15;

  /**
   * Shared mapper; integers longer than 100 digits are refused like python-socketio does. Field
   * names are not canonicalised: Jackson's shared name table would keep up to 12,000 client-chosen
   * keys of up to 50,000 characters each after their connections had gone (FrameFuzzIT found the
   * heap growing with them); a packet has few keys, so allocating them per packet costs little.
   */
  static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(100).build())
              .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
              .build());

  static {
    // "2[\"a\"]garbage" is not a packet: JSON.parse / json.loads refuse trailing data too.
    JSON.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private SocketPacketCodec() {}

  /** A new JSON array, for building event and ack arguments. */
  public static ArrayNode newArray() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Encodes a packet; data holding binary nodes becomes a BINARY_EVENT / BINARY_ACK. */
  public static EncodedSocketPacket encode(SocketPacket packet) {
    List<byte[]> attachments = new ArrayList<>();
    JsonNode data = packet.data() == null ? null : extractBinary(packet.data(), attachments);
    SocketPacketType type = packet.type();
    if (!attachments.isEmpty()) {
      type = packet.isAck() ? SocketPacketType.BINARY_ACK : SocketPacketType.BINARY_EVENT;
    }
    StringBuilder text = new StringBuilder().append(type.code());
    if (type.isBinary()) {
      text.append(attachments.size()).append('-');
    }
    if (!SocketPacket.MAIN_NAMESPACE.equals(packet.namespace())) {
      text.append(packet.namespace()).append(',');
    }
    if (packet.ackId() != null) {
      text.append(packet.ackId());
    }
    if (data != null) {
      try {
        text.append(JSON.writeValueAsString(data));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("packet data is not serialisable", e);
      }
    }
    return new EncodedSocketPacket(text.toString(), attachments);
  }

  /**
   * Encodes an EVENT packet without an ack id whose arguments are JSON text already, copied as they
   * are: a backend's {@code data} or a message relayed from another server is not parsed into trees
   * only to be printed again. The same wire form as {@link #encode} gives for the parsed arguments,
   * up to their own spacing and escapes.
   *
   * @param argsArray the arguments as one JSON array, well formed and free of binary placeholders
   *     (the caller has read it through a JSON parser)
   */
  public static EncodedSocketPacket encodeEvent(String namespace, String event, String argsArray) {
    StringBuilder text =
        new StringBuilder(argsArray.length() + event.length() + namespace.length() + 8)
            .append(SocketPacketType.EVENT.code());
    if (!SocketPacket.MAIN_NAMESPACE.equals(namespace)) {
      text.append(namespace).append(',');
    }
    text.append("[\"").append(JsonStringEncoder.getInstance().quoteAsString(event)).append('"');
    int first = 1;
    while (Character.isWhitespace(argsArray.charAt(first))) {
      first++;
    }
    if (argsArray.charAt(first) != ']') {
      text.append(',');
    }
    text.append(argsArray, first, argsArray.length());
    return new EncodedSocketPacket(text.toString(), List.of());
  }

  /**
   * Decodes the text part of a packet. For a binary packet the returned data still holds
   * placeholders and {@link Header#attachments()} tells how many binary messages follow.
   */
  public static Header decodeHeader(String message) throws SocketProtocolException {
    if (message == null || message.isEmpty()) {
      throw new SocketProtocolException("empty packet");
    }
    SocketPacketType type = SocketPacketType.fromCode(message.charAt(0));
    if (type == null) {
      throw new SocketProtocolException("unknown packet type '" + message.charAt(0) + "'");
    }
    int i = 1;
    int attachments = 0;
    if (type.isBinary()) {
      int dash = message.indexOf('-', i);
      if (dash < 0 || dash == i || dash - i > 6) {
        throw new SocketProtocolException("illegal attachments");
      }
      attachments = parseDigits(message, i, dash, "illegal attachments");
      i = dash + 1;
    }
    String namespace = SocketPacket.MAIN_NAMESPACE;
    if (i < message.length() && message.charAt(i) == '/') {
      int comma = message.indexOf(',', i);
      int end = comma < 0 ? message.length() : comma;
      namespace = message.substring(i, end);
      i = comma < 0 ? end : comma + 1;
    }
    int digitsEnd = i;
    while (digitsEnd < message.length()
        && message.charAt(digitsEnd) >= '0'
        && message.charAt(digitsEnd) <= '9') {
      digitsEnd++;
    }
    Long ackId = null;
    if (digitsEnd > i) {
      if (digitsEnd - i > MAX_ACK_ID_DIGITS) {
        throw new SocketProtocolException("illegal ack id");
      }
      ackId = Long.parseLong(message.substring(i, digitsEnd));
      i = digitsEnd;
    }
    JsonNode data = null;
    if (i < message.length()) {
      try {
        data = JSON.readTree(message.substring(i));
      } catch (JsonProcessingException e) {
        throw new SocketProtocolException("invalid payload");
      }
      if (!isPayloadValid(type, data)) {
        throw new SocketProtocolException("invalid payload");
      }
    } else if (type == SocketPacketType.EVENT
        || type == SocketPacketType.BINARY_EVENT
        || type == SocketPacketType.ACK
        || type == SocketPacketType.BINARY_ACK) {
      throw new SocketProtocolException("missing payload");
    }
    return new Header(new SocketPacket(type, namespace, data, ackId), attachments);
  }

  /**
   * The text part of a received packet.
   *
   * @param packet the packet, with placeholders still in place when {@code attachments > 0}
   * @param attachments binary messages that must follow before the packet is complete
   */
  public record Header(SocketPacket packet, int attachments) {}

  private static int parseDigits(String s, int from, int to, String error)
      throws SocketProtocolException {
    int value = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        throw new SocketProtocolException(error);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isPayloadValid(SocketPacketType type, JsonNode data) {
    return switch (type) {
      case CONNECT -> data.isObject();
      case DISCONNECT -> false;
      case CONNECT_ERROR -> data.isTextual() || data.isObject();
      case EVENT, BINARY_EVENT ->
          data.isArray()
              && !data.isEmpty()
              && (data.get(0).isNumber()
                  || (data.get(0).isTextual() && !RESERVED_EVENTS.contains(data.get(0).asText())));
      case ACK, BINARY_ACK -> data.isArray();
    };
  }

  /**
   * Replaces binary nodes by placeholders {@code {"_placeholder":true,"num":N}}, appending their
   * bytes in placeholder order; the input is not changed. python-socketio's Redis manager uses the
   * same form.
   */
  public static JsonNode extractBinary(JsonNode node, List<byte[]> attachments) {
    if (node.isBinary()) {
      ObjectNode placeholder = JsonNodeFactory.instance.objectNode();
      placeholder.put("_placeholder", true);
      placeholder.put("num", attachments.size());
      try {
        attachments.add(node.binaryValue());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return placeholder;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      for (JsonNode element : node) {
        copy.add(extractBinary(element, attachments));
      }
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), extractBinary(field.getValue(), attachments));
      }
      return copy;
    }
    return node;
  }

  /** Puts attachments back where their placeholders are (changes {@code node} in place). */
  public static JsonNode insertBinary(JsonNode node, List<byte[]> attachments)
      throws SocketProtocolException {
    if (node.isObject() && node.path("_placeholder").asBoolean(false)) {
      JsonNode num = node.get("num");
      if (num == null
          || !num.canConvertToInt()
          || num.asInt() < 0
          || num.asInt() >= attachments.size()) {
        throw new SocketProtocolException("illegal attachment placeholder");
      }
      return JsonNodeFactory.instance.binaryNode(attachments.get(num.asInt()));
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int k = 0; k < array.size(); k++) {
        array.set(k, insertBinary(array.get(k), attachments));
      }
    } else if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        object.set(name, insertBinary(object.get(name), attachments));
      }
    }
    return node;
  }
}
