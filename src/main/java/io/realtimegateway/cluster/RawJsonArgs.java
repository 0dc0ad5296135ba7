package io.realtimegateway.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.protocol.socket.RawJson;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an emit another host published, kept as the JSON array text they arrived in. A
 * replica delivers that text into the Socket.IO packet as it is, so the JSON of {@code data} is
 * only scanned once and never turned into trees; a replica that drops the message (its own, or no
 * local socket in the target rooms) never pays for trees either. Reading an element parses the
 * array, once.
 */
final class RawJsonArgs extends AbstractList<JsonNode> {

  /** For arguments this replica made itself; the default limits, as the backend API reads. */
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final ObjectMapper json;
  private final String array;
  private volatile List<JsonNode> parsed;

  /**
   * @param array a JSON array the codec's parser has already read through (so it is well formed)
   */
  RawJsonArgs(ObjectMapper json, String array) {
    this.json = json;
    this.array = array;
  }

  /** The one argument of a backend's emit, its JSON text already checked by the backend API. */
  static RawJsonArgs of(RawJson argument) {
    return new RawJsonArgs(PLAIN, argument.asArguments());
  }

  /** The arguments as one JSON array, exactly as published. */
  String json() {
    return array;
  }

  /** Whether the arguments were parsed into trees (something read them). */
  boolean isParsed() {
    return parsed != null;
  }

  @Override
  public JsonNode get(int index) {
    return parsed().get(index);
  }

  @Override
  public int size() {
    return parsed().size();
  }

  private List<JsonNode> parsed() {
    List<JsonNode> current = parsed;
    if (current == null) {
      JsonNode tree;
      try {
        tree = json.readTree(array);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("arguments were read once already", e);
      }
      current = new ArrayList<>(tree.size());
      tree.forEach(current::add);
      current = List.copyOf(current);
      parsed = current;
    }
    return current;
  }
}
