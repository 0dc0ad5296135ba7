package io.realtimegateway.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.protocol.socket.SocketPacketCodec;
import io.realtimegateway.protocol.socket.SocketProtocolException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON form of python-socketio's (5.14+) Redis manager messages, plus the two gateway-only room
 * queries ({@code gateway:*} methods). Binary arguments travel as {@code "binary": true} with
 * {@code data = [args with placeholders, base64 attachment, ...]}.
 */
@Singleton
public final class PythonManagerCodec {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Gateway-only methods, on the gateway's own channel; not part of python-socketio. */
  static final String GATEWAY_FETCH_ROOM = "gateway:fetch_room";

  static final String GATEWAY_ROOM_MEMBERS = "gateway:room_members";

  private final ObjectMapper json;

  public PythonManagerCodec(ObjectMapper json) {
    this.json = json;
  }

  /** The message as python-socketio publishes it. */
  public String encode(ClusterMessage message) {
    if (message instanceof ClusterMessage.Emit emit && !containsBinary(emit.args())) {
      return encodeTextEmit(emit);
    }
    ObjectNode out = NODES.objectNode();
    if (message instanceof ClusterMessage.Emit emit) {
      encodeEmit(emit, out);
    } else if (message instanceof ClusterMessage.Callback callback) {
      out.put("method", "callback");
      out.put("host_id", callback.hostId());
      out.put("sid", callback.sid());
      out.put("namespace", callback.namespace());
      out.put("id", callback.id());
      out.set("args", NODES.arrayNode().addAll(callback.args()));
    } else if (message instanceof ClusterMessage.Disconnect disconnect) {
      out.put("method", "disconnect");
      out.put("sid", disconnect.sid());
      out.put("namespace", disconnect.namespace());
      out.put("host_id", disconnect.hostId());
    } else if (message instanceof ClusterMessage.EnterRoom enter) {
      roomChange(out, "enter_room", enter.sid(), enter.room(), enter.namespace(), enter.hostId());
    } else if (message instanceof ClusterMessage.LeaveRoom leave) {
      roomChange(out, "leave_room", leave.sid(), leave.room(), leave.namespace(), leave.hostId());
    } else if (message instanceof ClusterMessage.FetchRoom fetch) {
      out.put("method", GATEWAY_FETCH_ROOM);
      out.put("request_id", fetch.requestId());
      out.put("room", fetch.room());
      out.put("namespace", fetch.namespace());
      out.put("host_id", fetch.hostId());
    } else if (message instanceof ClusterMessage.RoomMembers members) {
      out.put("method", GATEWAY_ROOM_MEMBERS);
      out.put("request_id", members.requestId());
      out.put("requester_id", members.requesterId());
      ArrayNode sids = out.putArray("sids");
      members.sids().forEach(sids::add);
      out.put("host_id", members.hostId());
    } else if (message instanceof ClusterMessage.CloseRoom close) {
      out.put("method", "close_room");
      out.put("room", close.room());
      out.put("namespace", close.namespace());
      out.put("host_id", close.hostId());
    }
    try {
      return json.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("manager message is not serialisable", e);
    }
  }

  /**
   * Reads a published message, in one pass. An emit's {@code data} is only scanned, not turned into
   * trees: its arguments are {@link RawJsonArgs}, parsed only if something reads them.
   */
  public ClusterMessage decode(String text) throws ClusterProtocolException {
    ObjectNode message = NODES.objectNode();
    String data = null;
    try (JsonParser parser = json.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ClusterProtocolException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("data".equals(field) && value == JsonToken.START_ARRAY) {
          int start = (int) parser.currentTokenLocation().getCharOffset();
          parser.skipChildren();
          data = text.substring(start, (int) parser.currentLocation().getCharOffset());
          message.remove("data");
        } else {
          if ("data".equals(field)) {
            data = null;
          }
          message.set(field, parser.readValueAsTree());
        }
      }
    } catch (IOException e) {
      throw new ClusterProtocolException("invalid JSON");
    }
    String method = message.path("method").asText("");
    String hostId = text(message, "host_id");
    String namespace =
        message.path("namespace").isTextual() ? message.get("namespace").asText() : "/";
    return switch (method) {
      case "emit" -> decodeEmit(message, data, namespace, hostId);
      case "callback" -> {
        JsonNode id = message.get("id");
        JsonNode args = message.get("args");
        if (id == null || !id.canConvertToLong() || args == null || !args.isArray()) {
          throw new ClusterProtocolException("callback without id or args");
        }
        yield new ClusterMessage.Callback(
            hostId, text(message, "sid"), namespace, id.asLong(), elements(args));
      }
      case "disconnect" -> new ClusterMessage.Disconnect(text(message, "sid"), namespace, hostId);
      case "enter_room" ->
          new ClusterMessage.EnterRoom(
              text(message, "sid"), text(message, "room"), namespace, hostId);
      case "leave_room" ->
          new ClusterMessage.LeaveRoom(
              text(message, "sid"), text(message, "room"), namespace, hostId);
      case "close_room" -> new ClusterMessage.CloseRoom(text(message, "room"), namespace, hostId);
      case GATEWAY_FETCH_ROOM ->
          new ClusterMessage.FetchRoom(
              text(message, "request_id"), text(message, "room"), namespace, hostId);
      case GATEWAY_ROOM_MEMBERS -> {
        List<String> sids = rooms(message.get("sids"), "sids");
        yield new ClusterMessage.RoomMembers(
            text(message, "request_id"),
            text(message, "requester_id"),
            sids == null ? List.of() : sids,
            hostId);
      }
      default -> throw new ClusterProtocolException("unknown method '" + method + "'");
    };
  }

  /**
   * An emit without binary arguments, written straight to text: no tree of the message is built and
   * the arguments are not copied (the hot path of every cross-replica emit). Same keys, same order
   * as {@link #encodeEmit}.
   */
  private String encodeTextEmit(ClusterMessage.Emit emit) {
    StringWriter text = new StringWriter(128);
    try (JsonGenerator out = json.getFactory().createGenerator(text)) {
      out.writeStartObject();
      out.writeStringField("method", "emit");
      out.writeStringField("event", emit.event());
      out.writeFieldName("data");
      if (emit.args() instanceof RawJsonArgs raw) {
        out.writeRawValue(raw.json());
      } else {
        out.writeStartArray();
        for (JsonNode arg : emit.args()) {
          json.writeTree(out, arg);
        }
        out.writeEndArray();
      }
      out.writeBooleanField("binary", false);
      out.writeStringField("namespace", emit.namespace());
      out.writeFieldName("room");
      writeStringOrList(out, emit.rooms());
      out.writeFieldName("skip_sid");
      writeStringOrList(
          out, emit.skipSids() == null || emit.skipSids().isEmpty() ? null : emit.skipSids());
      out.writeFieldName("callback");
      if (emit.callback() == null) {
        out.writeNull();
      } else {
        out.writeStartArray();
        out.writeString(emit.callback().sid());
        out.writeString(emit.callback().namespace());
        out.writeNumber(emit.callback().id());
        out.writeEndArray();
      }
      out.writeStringField("host_id", emit.hostId());
      out.writeEndObject();
    } catch (IOException e) {
      throw new IllegalArgumentException("manager message is not serialisable", e);
    }
    return text.toString();
  }

  private static void writeStringOrList(JsonGenerator out, List<String> names) throws IOException {
    if (names == null) {
      out.writeNull();
    } else if (names.size() == 1) {
      out.writeString(names.get(0));
    } else {
      out.writeStartArray();
      for (String name : names) {
        out.writeString(name);
      }
      out.writeEndArray();
    }
  }

  /** Whether an argument holds binary anywhere (arguments passed on as text hold none). */
  private static boolean containsBinary(List<JsonNode> args) {
    if (args instanceof RawJsonArgs) {
      return false;
    }
    for (JsonNode arg : args) {
      if (containsBinary(arg)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsBinary(JsonNode node) {
    if (node.isBinary()) {
      return true;
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (containsBinary(child)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void encodeEmit(ClusterMessage.Emit emit, ObjectNode out) {
    out.put("method", "emit");
    out.put("event", emit.event());
    ArrayNode args = NODES.arrayNode().addAll(emit.args());
    List<byte[]> attachments = new ArrayList<>();
    JsonNode withPlaceholders = SocketPacketCodec.extractBinary(args, attachments);
    if (attachments.isEmpty()) {
      out.set("data", args);
      out.put("binary", false);
    } else {
      ArrayNode data = NODES.arrayNode().add(withPlaceholders);
      attachments.forEach(bytes -> data.add(Base64.getEncoder().encodeToString(bytes)));
      out.set("data", data);
      out.put("binary", true);
    }
    out.put("namespace", emit.namespace());
    out.set("room", stringOrList(emit.rooms()));
    out.set(
        "skip_sid",
        emit.skipSids() == null || emit.skipSids().isEmpty()
            ? NODES.nullNode()
            : stringOrList(emit.skipSids()));
    if (emit.callback() == null) {
      out.putNull("callback");
    } else {
      out.set(
          "callback",
          NODES
              .arrayNode()
              .add(emit.callback().sid())
              .add(emit.callback().namespace())
              .add(emit.callback().id()));
    }
    out.put("host_id", emit.hostId());
  }

  /**
   * @param array {@code data} as JSON array text, or {@code null} when it was not an array (then it
   *     is in {@code message} as a tree)
   */
  private ClusterMessage.Emit decodeEmit(
      JsonNode message, String array, String namespace, String hostId)
      throws ClusterProtocolException {
    String event = text(message, "event");
    List<JsonNode> args;
    if (message.path("binary").asBoolean(false)) {
      JsonNode data;
      try {
        data = array == null ? message.get("data") : json.readTree(array);
      } catch (JsonProcessingException e) {
        throw new ClusterProtocolException("invalid JSON");
      }
      if (data == null || !data.isArray() || data.isEmpty() || !data.get(0).isArray()) {
        throw new ClusterProtocolException("binary emit without its argument list");
      }
      List<byte[]> attachments = new ArrayList<>();
      for (int i = 1; i < data.size(); i++) {
        if (!data.get(i).isTextual()) {
          throw new ClusterProtocolException("binary attachment is not base64 text");
        }
        try {
          attachments.add(Base64.getDecoder().decode(data.get(i).asText()));
        } catch (IllegalArgumentException e) {
          throw new ClusterProtocolException("binary attachment is not valid base64");
        }
      }
      try {
        args = elements(SocketPacketCodec.insertBinary(data.get(0), attachments));
      } catch (SocketProtocolException e) {
        throw new ClusterProtocolException(e.getMessage());
      }
    } else if (array != null) {
      args = new RawJsonArgs(json, array);
    } else {
      // Before 5.14 a single argument was not wrapped in a list.
      JsonNode data = message.get("data");
      args = data == null || data.isNull() ? List.of() : List.of(data);
    }
    ClusterMessage.CallbackTarget callback = null;
    JsonNode target = message.get("callback");
    if (target != null && target.isArray() && target.size() == 3) {
      if (!target.get(0).isTextual() || !target.get(2).canConvertToLong()) {
        throw new ClusterProtocolException("malformed callback");
      }
      callback =
          new ClusterMessage.CallbackTarget(
              target.get(0).asText(), target.get(1).asText("/"), target.get(2).asLong());
    }
    return new ClusterMessage.Emit(
        event,
        args,
        namespace,
        rooms(message.get("room"), "room"),
        rooms(message.get("skip_sid"), "skip_sid"),
        callback,
        hostId);
  }

  /** {@code null} for a broadcast; python-socketio accepts a room name or a list of them. */
  private static List<String> rooms(JsonNode value, String field) throws ClusterProtocolException {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return List.of(value.asText());
    }
    if (value.isArray()) {
      List<String> rooms = new ArrayList<>();
      for (JsonNode room : value) {
        if (!room.isTextual()) {
          throw new ClusterProtocolException(field + " holds a non-string");
        }
        rooms.add(room.asText());
      }
      return rooms;
    }
    throw new ClusterProtocolException(field + " is neither a string nor a list");
  }

  private static JsonNode stringOrList(List<String> rooms) {
    if (rooms == null) {
      return NODES.nullNode();
    }
    if (rooms.size() == 1) {
      return NODES.textNode(rooms.get(0));
    }
    ArrayNode list = NODES.arrayNode();
    rooms.forEach(list::add);
    return list;
  }

  private static void roomChange(
      ObjectNode out, String method, String sid, String room, String namespace, String hostId) {
    out.put("method", method);
    out.put("sid", sid);
    out.put("room", room);
    out.put("namespace", namespace);
    out.put("host_id", hostId);
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> list = new ArrayList<>(array.size());
    array.forEach(list::add);
    return list;
  }

  private static String text(JsonNode message, String field) throws ClusterProtocolException {
    JsonNode value = message.get(field);
    if (value == null || !value.isTextual()) {
      throw new ClusterProtocolException("missing " + field);
    }
    return value.asText();
  }
}
