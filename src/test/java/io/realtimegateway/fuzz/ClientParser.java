package io.realtimegateway.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import io.realtimegateway.protocol.socket.SocketPacketType;
import io.realtimegateway.protocol.socket.SocketProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses what the gateway sends the way socket.io-parser 4 (socket.io-client) does, to check the
 * gateway's output: the header, one JSON value ({@code JSON.parse}, so no 100-digit cap on numbers,
 * unlike the gateway's own input policy), the payload's shape per type, and for a binary packet its
 * attachments, whose placeholders must all resolve. Placeholders in a plain packet are ordinary
 * objects, as they are for socket.io-client.
 */
final class ClientParser {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SocketPacket pending;
  private int expected;
  private final List<byte[]> attachments = new ArrayList<>();

  /** A text message; null while a binary packet waits for its attachments. */
  SocketPacket text(String message) throws SocketProtocolException {
    if (pending != null) {
      throw new SocketProtocolException("text message between a header and its attachments");
    }
    SocketPacketType type = message.isEmpty() ? null : SocketPacketType.fromCode(message.charAt(0));
    if (type == null) {
      throw new SocketProtocolException("unknown packet type");
    }
    int i = 1;
    int count = 0;
    if (type.isBinary()) {
      int dash = message.indexOf('-');
      if (dash < 2) {
        throw new SocketProtocolException("illegal attachments");
      }
      count = Integer.parseInt(message.substring(1, dash));
      i = dash + 1;
    }
    String namespace = "/";
    if (i < message.length() && message.charAt(i) == '/') {
      int comma = message.indexOf(',', i);
      namespace = message.substring(i, comma < 0 ? message.length() : comma);
      i = comma < 0 ? message.length() : comma + 1;
    }
    int digits = i;
    while (digits < message.length() && Character.isDigit(message.charAt(digits))) {
      digits++;
    }
    Long ackId = digits > i ? Long.parseLong(message.substring(i, digits)) : null;
    JsonNode data = null;
    if (digits < message.length()) {
      try {
        data = JSON.readTree(message.substring(digits));
      } catch (JsonProcessingException e) {
        throw new SocketProtocolException("invalid JSON: " + e.getOriginalMessage());
      }
    }
    boolean valid =
        switch (type) {
          case CONNECT -> data != null && data.isObject();
          case DISCONNECT -> data == null;
          case CONNECT_ERROR -> data != null && (data.isObject() || data.isTextual());
          case EVENT, BINARY_EVENT ->
              data != null
                  && data.isArray()
                  && !data.isEmpty()
                  && (data.get(0).isTextual() || data.get(0).isNumber());
          case ACK, BINARY_ACK -> data != null && data.isArray() && ackId != null;
        };
    if (!valid) {
      throw new SocketProtocolException("invalid payload for " + type);
    }
    SocketPacket packet = new SocketPacket(type, namespace, data, ackId);
    if (count == 0) {
      return packet;
    }
    pending = packet;
    expected = count;
    return null;
  }

  /** A binary message: the next attachment of the pending packet. */
  SocketPacket binary(byte[] attachment) throws SocketProtocolException {
    if (pending == null) {
      throw new SocketProtocolException("binary message without a header");
    }
    attachments.add(attachment);
    if (attachments.size() < expected) {
      return null;
    }
    SocketPacket header = pending;
    List<byte[]> all = List.copyOf(attachments);
    pending = null;
    attachments.clear();
    return new SocketPacket(
        header.type(),
        header.namespace(),
        SocketPacketCodec.insertBinary(header.data(), all),
        header.ackId());
  }
}
