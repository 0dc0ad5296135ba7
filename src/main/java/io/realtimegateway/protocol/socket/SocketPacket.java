package io.realtimegateway.protocol.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * One Socket.IO packet after binary reconstruction: binary values sit inside {@code data} as
 * Jackson {@link com.fasterxml.jackson.databind.node.BinaryNode}s, so handlers never see
 * placeholders. The codec chooses BINARY_EVENT / BINARY_ACK on the wire when data holds bytes.
 *
 * @param type EVENT and ACK stand for their binary variants as well
 * @param namespace {@code "/"} for the main namespace
 * @param data the JSON payload, {@code null} when the packet has none
 * @param ackId the acknowledgement id, {@code null} when none was requested
 */
public record SocketPacket(SocketPacketType type, String namespace, JsonNode data, Long ackId) {

  public static final String MAIN_NAMESPACE = "/";

  public SocketPacket {
    Objects.requireNonNull(type, "type");
    namespace = namespace == null || namespace.isEmpty() ? MAIN_NAMESPACE : namespace;
  }

  /** An EVENT packet {@code [event, ...args]}. */
  public static SocketPacket event(String namespace, String event, Long ackId, JsonNode... args) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    data.add(event);
    for (JsonNode arg : args) {
      data.add(arg);
    }
    return new SocketPacket(SocketPacketType.EVENT, namespace, data, ackId);
  }

  /** The event name of an EVENT packet, or {@code null} for other packets. */
  public String eventName() {
    return isEvent() && data.get(0).isTextual() ? data.get(0).asText() : null;
  }

  public boolean isEvent() {
    return type == SocketPacketType.EVENT || type == SocketPacketType.BINARY_EVENT;
  }

  public boolean isAck() {
    return type == SocketPacketType.ACK || type == SocketPacketType.BINARY_ACK;
  }
}
