package io.realtimegateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.realtimegateway.protocol.socket.RawJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One emit of {@code POST /internal/v1/emit}: {@code {"event", "data", "room"?, "to"?,
 * "skip_sid"?}}. The body is one such object or a JSON array of them (a batch).
 *
 * <p>Read with Jackson's streaming parser, not into a tree: {@code data} is kept as the JSON text
 * the backend sent, which goes into the event packet as is. The parser still reads every token of
 * it, so the text is checked as strictly as a tree would be (valid JSON and UTF-8, nesting depth,
 * number length).
 *
 * @param data the event's single argument as JSON text; {@code null} when the body has none
 */
record EmitRequest(String event, RawJson data, Set<String> rooms, String to, Set<String> skipSids) {

  /** Most emits one batch may hold: the cap of every other list of the API. */
  static final int MAX_BATCH_SIZE = RequestFields.MAX_LIST_SIZE;

  /**
   * The emits of a body, in order: one for an object, every element for an array. The whole body is
   * read and checked before this returns, so a bad element fails the request before anything is
   * emitted; its error names the element ({@code item 3: ...}).
   */
  static List<EmitRequest> parseAll(ObjectReader reader, Buffer body) {
    if (body == null || body.length() == 0) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    byte[] bytes = body.getBytes();
    try (JsonParser parser = reader.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      List<EmitRequest> emits;
      if (first == JsonToken.START_OBJECT) {
        emits = List.of(parseObject(parser, bytes, -1));
      } else if (first == JsonToken.START_ARRAY) {
        emits = parseArray(parser, bytes);
      } else {
        throw new InvalidRequestException(
            "body", "the request body must be a JSON object or an array of them");
      }
      if (parser.nextToken() != null) {
        throw new InvalidRequestException("body", "the request body is not valid JSON");
      }
      return emits;
    } catch (StreamConstraintsException e) {
      throw new InvalidRequestException(
          "body", "the request body exceeds a JSON limit (nesting depth, number or string length)");
    } catch (IOException e) {
      throw new InvalidRequestException("body", "the request body is not valid JSON");
    }
  }

  private static List<EmitRequest> parseArray(JsonParser parser, byte[] bytes) throws IOException {
    List<EmitRequest> emits = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      int item = emits.size();
      if (item == MAX_BATCH_SIZE) {
        throw new InvalidRequestException(
            "body", "the batch has more than " + MAX_BATCH_SIZE + " emits");
      }
      if (token != JsonToken.START_OBJECT) {
        // Also a truncated body (null token): refused either way.
        throw new InvalidRequestException(
            "body", item, "item " + item + ": an emit must be a JSON object");
      }
      emits.add(parseObject(parser, bytes, item));
    }
    if (emits.isEmpty()) {
      throw new InvalidRequestException("body", "the batch is empty: send at least one emit");
    }
    return emits;
  }

  /** Reads one emit object; the parser is on its START_OBJECT. {@code item} -1: not in a batch. */
  private static EmitRequest parseObject(JsonParser parser, byte[] bytes, int item)
      throws IOException {
    String event = null;
    boolean eventSeen = false;
    RawJson data = null;
    Set<String> rooms = Set.of();
    String to = null;
    Set<String> skipSids = Set.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "event" -> {
          event = optionalString(parser, value, field, item);
          eventSeen = true;
        }
        case "data" -> data = rawValue(parser, value, bytes);
        case "room" -> rooms = stringOrList(parser, value, field, item);
        case "to" -> to = optionalString(parser, value, field, item);
        case "skip_sid" -> skipSids = stringOrList(parser, value, field, item);
        default -> skipValue(parser, value);
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("truncated object");
    }
    if (!eventSeen || event == null || event.isEmpty()) {
      throw invalid("event", item, "event is required and must be a non-empty string");
    }
    return new EmitRequest(event, data == null ? RawJson.NULL : data, rooms, to, skipSids);
  }

  /** The JSON text of the value the parser is on, as sent, after reading all of it. */
  private static RawJson rawValue(JsonParser parser, JsonToken value, byte[] bytes)
      throws IOException {
    long start = parser.currentTokenLocation().getByteOffset();
    if (value == JsonToken.VALUE_STRING) {
      // Strings are read lazily: finishing the token checks its UTF-8 and moves past it.
      parser.finishToken();
    } else {
      skipValue(parser, value);
    }
    long end = parser.currentLocation().getByteOffset();
    return new RawJson(new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8));
  }

  /** Reads past the value the parser is on; every token of it is still checked. */
  private static void skipValue(JsonParser parser, JsonToken value) throws IOException {
    if (value == null) {
      throw new IOException("truncated value");
    }
    if (value.isStructStart()) {
      int depth = 1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          throw new IOException("truncated value");
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
      }
    } else if (value == JsonToken.VALUE_STRING) {
      parser.finishToken();
    }
  }

  private static String optionalString(JsonParser parser, JsonToken value, String field, int item)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      skipValue(parser, value);
      throw invalid(field, item, field + " must be a string");
    }
    return parser.getText();
  }

  /** A string or a list of strings, as python-socketio accepts for rooms and skip_sid. */
  private static Set<String> stringOrList(
      JsonParser parser, JsonToken value, String field, int item) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return Set.of();
    }
    if (value == JsonToken.VALUE_STRING) {
      return Set.of(parser.getText());
    }
    if (value != JsonToken.START_ARRAY) {
      throw invalid(field, item, field + " must be a string or a list of strings");
    }
    Set<String> values = new LinkedHashSet<>();
    int size = 0;
    JsonToken element;
    while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.VALUE_STRING) {
        throw invalid(field, item, field + " must be a string or a list of strings");
      }
      if (++size > RequestFields.MAX_LIST_SIZE) {
        throw invalid(
            field, item, field + " has more than " + RequestFields.MAX_LIST_SIZE + " entries");
      }
      values.add(parser.getText());
    }
    return values;
  }

  private static InvalidRequestException invalid(String field, int item, String message) {
    return item < 0
        ? new InvalidRequestException(field, message)
        : new InvalidRequestException(field, item, "item " + item + ": " + message);
  }
}
