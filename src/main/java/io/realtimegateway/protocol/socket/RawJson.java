package io.realtimegateway.protocol.socket;

import java.util.Objects;

/**
 * One JSON value kept as the text it arrived in (a backend's {@code data}), so that it goes into an
 * event packet as is instead of being parsed into a tree and written again. Whoever makes one has
 * already checked that the text is exactly one valid JSON value (the backend API's parser does);
 * this record does not parse it again.
 *
 * @param text the JSON text, e.g. {@code {"a":[1,2]}} or {@code "hi"} or {@code null}
 */
public record RawJson(String text) {

  public static final RawJson NULL = new RawJson("null");

  public RawJson {
    Objects.requireNonNull(text, "text");
  }

  /** The value as the only element of a JSON array: an event's arguments, for the codec. */
  public String asArguments() {
    return "[" + text + "]";
  }
}
