package io.realtimegateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the backend API against bodies no backend would send: each is answered 400 naming
 * the field at fault (or 413 for a body above the limit), never 500 and never a hang. Runs with a
 * body limit large enough that list caps and nesting limits are reached before it.
 */
@QuarkusTest
@TestProfile(HostileApiInputTest.LargeBodyLimit.class)
class HostileApiInputTest {

  /**
   * A body limit above the test profile's 64K, so that 100,000-entry lists reach the list cap, and
   * below Quarkus's own 10M HTTP limit, so that the API's 413 is the one answering.
   */
  public static class LargeBodyLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.api.max-body-size", "2M");
    }
  }

  private static final String JSON = "application/json";

  /** Content type of a case whose JSON body is sent chunked, without a Content-Length. */
  private static final String CHUNKED = "application/json; chunked";

  private static final List<String> BODY_ROUTES =
      List.of(
          "/internal/v1/emit",
          "/internal/v1/call",
          "/internal/v1/disconnect",
          "/internal/v1/rooms/r/join",
          "/internal/v1/rooms/r/leave");

  /** A hang fails the case instead of blocking the build. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TestHTTPResource("/")
  URI gateway;

  /**
   * One request and its expected answer.
   *
   * @param contentType {@code null} sends no Content-Type
   * @param field the {@code field} of the 400 answer; {@code null} when none is expected
   */
  record Case(
      String name,
      String method,
      String path,
      String contentType,
      byte[] body,
      int status,
      String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRequests")
  void isAnsweredWithAnErrorNamingTheField(Case request) throws Exception {
    HttpResponse<String> response = send(request);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(request.status());
    JsonNode answer = MAPPER.readTree(response.body());
    assertThat(answer.path("error").isTextual()).as(response.body()).isTrue();
    if (request.field() != null) {
      assertThat(answer.path("field").asText()).as(response.body()).isEqualTo(request.field());
    }
  }

  private HttpResponse<String> send(Case request) throws Exception {
    HttpRequest.BodyPublisher body;
    if (request.body() == null) {
      body = HttpRequest.BodyPublishers.noBody();
    } else if (CHUNKED.equals(request.contentType())) {
      body =
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()));
    } else {
      body = HttpRequest.BodyPublishers.ofByteArray(request.body());
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(gateway.resolve(request.path()))
            .timeout(Duration.ofSeconds(60))
            .method(request.method(), body);
    if (CHUNKED.equals(request.contentType())) {
      builder.header("Content-Type", JSON);
    } else if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Requests that look odd but are well-formed: served, not refused. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("oddButValidRequests")
  void oddButValidRequestsAreServed(Case request) throws Exception {
    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(request.status());
  }

  static Stream<Case> oddButValidRequests() {
    // Unknown fields are ignored, as Open WebUI and python-socketio ignore them.
    String extra = ",\"unknown\":{\"nested\":[1,2,{\"deeper\":null}]},\"room_typo\":\"x\"";
    return Stream.of(
        post("/internal/v1/emit", "{\"event\":\"e\"" + extra + "}", 202),
        // The largest long is a valid timeout, capped to the caller's maximum; no such session.
        post(
            "/internal/v1/call",
            "{\"session_id\":\"nobody\",\"timeout_ms\":9223372036854775807" + extra + "}",
            404),
        post("/internal/v1/disconnect", "{\"user_id\":\"nobody\"" + extra + "}", 200),
        post("/internal/v1/rooms/r/join", "{\"session_id\":[\"nobody\"]" + extra + "}", 200),
        post("/internal/v1/rooms/r/leave", "{\"user_id\":[\"nobody\"]" + extra + "}", 200),
        // A batch, also one at the cap, is served.
        post("/internal/v1/emit", "[{\"event\":\"e\"" + extra + "},{\"event\":\"f\"}]", 202),
        post("/internal/v1/emit", batch(EmitRequest.MAX_BATCH_SIZE), 202),
        // A list at the cap is served.
        post(
            "/internal/v1/emit",
            "{\"event\":\"e\",\"room\":" + list(RequestFields.MAX_LIST_SIZE) + "}",
            202),
        // Escapes of invalid UTF-8 decode to U+FFFD: a name that matches nothing.
        new Case(
            "sessions with an escaped invalid UTF-8 user_id",
            "GET",
            "/internal/v1/sessions?user_id=%e2%82",
            null,
            null,
            200,
            null),
        new Case(
            "rooms sessions with an escaped invalid UTF-8 room",
            "GET",
            "/internal/v1/rooms/%e2%82/sessions",
            null,
            null,
            200,
            null));
  }

  static Stream<Case> hostileRequests() {
    List<Case> cases = new ArrayList<>();
    for (String path : BODY_ROUTES) {
      cases.addAll(anyBodyRoute(path));
    }
    cases.addAll(emitFields());
    cases.addAll(callFields());
    for (String path :
        List.of(
            "/internal/v1/disconnect", "/internal/v1/rooms/r/join", "/internal/v1/rooms/r/leave")) {
      cases.addAll(targetFields(path));
    }
    return cases.stream();
  }

  /** What every route with a body must refuse, whatever its fields. */
  private static List<Case> anyBodyRoute(String path) {
    List<Case> cases = new ArrayList<>();
    cases.add(bad(path, "empty body", new byte[0], "body"));
    cases.add(bad(path, "whitespace body", json("  \n "), "body"));
    cases.add(bad(path, "malformed JSON", json("{\"event\": \"e\""), "body"));
    cases.add(bad(path, "single quotes", json("{'event': 'e'}"), "body"));
    cases.add(bad(path, "trailing data", json("{\"event\":\"e\"} {}"), "body"));
    if (!path.endsWith("/emit")) {
      // An array of emits is a batch, served (oddButValidRequests).
      cases.add(bad(path, "JSON array", json("[{\"event\":\"e\"}]"), "body"));
    }
    cases.add(bad(path, "JSON string", json("\"event\""), "body"));
    cases.add(bad(path, "JSON number", json("42"), "body"));
    cases.add(bad(path, "JSON boolean", json("true"), "body"));
    cases.add(bad(path, "JSON null", json("null"), "body"));
    cases.add(bad(path, "NaN", json("{\"event\":\"e\",\"data\":NaN}"), "body"));
    cases.add(
        bad(
            path,
            "invalid UTF-8 in a string",
            concat(json("{\"event\":\""), new byte[] {(byte) 0xff, (byte) 0xfe}, json("\"}")),
            "body"));
    cases.add(
        bad(
            path,
            "truncated UTF-8 sequence",
            concat(json("{\"event\":\"a"), new byte[] {(byte) 0xe2, (byte) 0x82}, json("\"}")),
            "body"));
    cases.add(bad(path, "100,000 nested arrays", json("[".repeat(100_000)), "body"));
    cases.add(
        bad(
            path,
            "100,000 nested objects in data",
            json(
                "{\"event\":\"e\",\"data\":"
                    + "{\"a\":".repeat(100_000)
                    + "1"
                    + "}".repeat(100_000)
                    + "}"),
            "body"));
    cases.add(
        bad(
            path,
            "a 2000-digit number",
            json("{\"event\":\"e\",\"data\":" + "9".repeat(2000) + "}"),
            "body"));
    cases.add(
        new Case(
            path + " text/plain",
            "POST",
            path,
            "text/plain",
            json("{\"event\":\"e\",\"session_id\":\"s\"}"),
            400,
            "Content-Type"));
    cases.add(
        new Case(
            path + " form",
            "POST",
            path,
            "application/x-www-form-urlencoded",
            json("event=e&session_id=s"),
            400,
            "Content-Type"));
    cases.add(
        new Case(
            path + " multipart",
            "POST",
            path,
            "multipart/form-data; boundary=x",
            json("--x\r\nContent-Disposition: form-data; name=\"event\"\r\n\r\ne\r\n--"),
            400,
            "Content-Type"));
    cases.add(
        new Case(
            path + " JSON in Latin-1",
            "POST",
            path,
            "application/json; charset=ISO-8859-1",
            json("{\"event\":\"e\"}"),
            400,
            "Content-Type"));
    byte[] tooLarge = new byte[2 * 1024 * 1024 + 1];
    Arrays.fill(tooLarge, (byte) ' ');
    cases.add(new Case(path + " body above the limit", "POST", path, JSON, tooLarge, 413, null));
    cases.add(
        new Case(
            path + " chunked body above the limit", "POST", path, CHUNKED, tooLarge, 413, null));
    return cases;
  }

  private static List<Case> emitFields() {
    String path = "/internal/v1/emit";
    List<Case> cases = new ArrayList<>();
    for (String value : List.of("missing", "null", "1", "true", "{}", "[]", "[\"e\"]", "\"\"")) {
      String body = value.equals("missing") ? "{\"data\":1}" : "{\"event\":" + value + "}";
      cases.add(bad(path, "event " + value, json(body), "event"));
    }
    for (String field : List.of("room", "skip_sid")) {
      for (String value : wrongStringOrList()) {
        cases.add(
            bad(
                path,
                field + " " + abbreviated(value),
                json("{\"event\":\"e\",\"" + field + "\":" + value + "}"),
                field));
      }
    }
    for (String value : List.of("1", "true", "{}", "[]", "[\"sid\"]")) {
      cases.add(bad(path, "to " + value, json("{\"event\":\"e\",\"to\":" + value + "}"), "to"));
    }
    // A batch: every element is checked, the first bad one named.
    cases.add(bad(path, "empty batch", json("[]"), "body"));
    cases.add(bad(path, "batch of a number", json("[1]"), "body"));
    cases.add(bad(path, "batch of a batch", json("[[{\"event\":\"e\"}]]"), "body"));
    cases.add(bad(path, "batch with a null", json("[{\"event\":\"e\"},null]"), "body"));
    cases.add(
        bad(path, "batch with a bad event", json("[{\"event\":\"e\"},{\"event\":1}]"), "event"));
    cases.add(
        bad(
            path,
            "batch with a bad room",
            json("[{\"event\":\"e\",\"room\":" + list(RequestFields.MAX_LIST_SIZE + 1) + "}]"),
            "room"));
    cases.add(
        bad(path, "batch above the cap", json(batch(EmitRequest.MAX_BATCH_SIZE + 1)), "body"));
    return cases;
  }

  private static List<Case> callFields() {
    String path = "/internal/v1/call";
    List<Case> cases = new ArrayList<>();
    for (String value : List.of("missing", "null", "1", "true", "{}", "[]", "[\"s\"]", "\"\"")) {
      String body = value.equals("missing") ? "{\"data\":1}" : "{\"session_id\":" + value + "}";
      cases.add(bad(path, "session_id " + value, json(body), "session_id"));
    }
    for (String value : List.of("1", "true", "{}", "[]")) {
      cases.add(
          bad(
              path,
              "event " + value,
              json("{\"session_id\":\"s\",\"event\":" + value + "}"),
              "event"));
    }
    for (String value :
        List.of(
            "0",
            "-1",
            "-9223372036854775808",
            "1.5",
            "1.0",
            "1e3",
            "1e400",
            "99999999999999999999999",
            "\"1000\"",
            "true",
            "[]",
            "{}")) {
      cases.add(
          bad(
              path,
              "timeout_ms " + value,
              json("{\"session_id\":\"s\",\"timeout_ms\":" + value + "}"),
              "timeout_ms"));
    }
    return cases;
  }

  private static List<Case> targetFields(String path) {
    List<Case> cases = new ArrayList<>();
    cases.add(bad(path, "no target", json("{}"), "session_id"));
    cases.add(
        bad(path, "null targets", json("{\"session_id\":null,\"user_id\":null}"), "session_id"));
    cases.add(
        bad(path, "empty target lists", json("{\"session_id\":[],\"user_id\":[]}"), "session_id"));
    for (String field : List.of("session_id", "user_id")) {
      for (String value : wrongStringOrList()) {
        cases.add(
            bad(
                path,
                field + " " + abbreviated(value),
                json("{\"" + field + "\":" + value + "}"),
                field));
      }
    }
    return cases;
  }

  /**
   * A malformed percent-escape ({@code %zz}) in the path or the query, sent as raw HTTP because
   * {@link URI} refuses to build such a request. Quarkus answers these 400 with an empty body
   * before any route runs, so there is no JSON error to check.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "POST, /internal/v1/rooms/%zz/join",
    "POST, /internal/v1/rooms/%zz/leave",
    "GET, /internal/v1/rooms/%zz/sessions",
    "DELETE, /internal/v1/rooms/%zz",
    "GET, /internal/v1/sessions?user_id=%zz",
    "GET, /internal/v1/sessions?user_id=%",
    "POST, /internal/v1/emit?%zz",
  })
  void malformedEscapesAreRefused(String method, String target) throws Exception {
    byte[] body = json("{\"event\":\"e\",\"user_id\":\"u\"}");
    try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          json(
              method
                  + " "
                  + target
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n"));
      out.write(body);
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 400 ");
    }
  }

  /** Values that are neither a string nor a list of at most the cap's strings. */
  private static List<String> wrongStringOrList() {
    return List.of(
        "1",
        "true",
        "{}",
        "{\"a\":\"b\"}",
        "[1]",
        "[\"a\",null]",
        "[[\"a\"]]",
        "[{}]",
        list(RequestFields.MAX_LIST_SIZE + 1),
        list(100_000));
  }

  private static String batch(int size) {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"event\":\"e\",\"data\":").append(i).append('}');
    }
    return batch.append(']').toString();
  }

  private static String list(int size) {
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      list.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
    }
    return list.append(']').toString();
  }

  private static String abbreviated(String value) {
    return value.length() > 60
        ? value.substring(0, 30) + "... (" + value.length() + " characters)"
        : value;
  }

  private static Case post(String path, String body, int status) {
    return new Case(path + " " + abbreviated(body), "POST", path, JSON, json(body), status, null);
  }

  private static Case bad(String path, String name, byte[] body, String field) {
    return new Case(path + " " + name, "POST", path, JSON, body, 400, field);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
