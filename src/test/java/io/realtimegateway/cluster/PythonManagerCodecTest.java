package io.realtimegateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * python-socketio's Redis manager messages, written exactly as python's {@code json.dumps} prints
 * them ({@code ", "} and {@code ": "} separators).
 */
class PythonManagerCodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String HOST = "0123456789abcdef0123456789abcdef";

  private final PythonManagerCodec codec = new PythonManagerCodec(new ObjectMapper());

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The elements of a JSON array, as a message's argument list. */
  static List<JsonNode> args(String jsonArray) {
    List<JsonNode> args = new ArrayList<>();
    json(jsonArray).forEach(args::add);
    return args;
  }

  static BinaryNode bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return BinaryNode.valueOf(bytes);
  }

  // ---------------------------------------------------------------- decode: emit targets

  /** Where an emit goes: python's {@code room} is a name, a list of names or null (broadcast). */
  static Stream<Arguments> emitRooms() {
    return Stream.of(
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            List.of("user:42")),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "binary": false, "namespace": "/", "room": ["user:42", "chat:c1"], "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            List.of("user:42", "chat:c1")),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "binary": false, "namespace": "/", "room": [], "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            List.of()),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "binary": false, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            null),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}""",
            null));
  }

  @ParameterizedTest
  @MethodSource("emitRooms")
  void decodesEmitRoomAsNameListOrBroadcast(String wire, List<String> rooms) throws Exception {
    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.rooms()).isEqualTo(rooms);
    assertThat(emit.event()).isEqualTo("events");
    assertThat(emit.namespace()).isEqualTo("/");
    assertThat(emit.hostId()).isEqualTo(HOST);
  }

  /** Who an emit skips: python's {@code skip_sid} is a sid, a list of sids or null. */
  static Stream<Arguments> emitSkips() {
    return Stream.of(
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": "chat:c1", "skip_sid": "sid1", "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            List.of("sid1")),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": "chat:c1", "skip_sid": ["sid1", "sid2"], "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            List.of("sid1", "sid2")),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": "chat:c1", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            null));
  }

  @ParameterizedTest
  @MethodSource("emitSkips")
  void decodesEmitSkipSidAsSidListOrNone(String wire, List<String> skipSids) throws Exception {
    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.skipSids()).isEqualTo(skipSids);
    assertThat(emit.rooms()).containsExactly("chat:c1");
  }

  /** {@code data} is the list of arguments after the event name. */
  static Stream<Arguments> emitData() {
    return Stream.of(
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[{\"chat_id\":\"c1\"}]"),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": ["a", 1, 2.5, true, null, ["x"], {"k": {"n": [1, 2]}}], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[\"a\",1,2.5,true,null,[\"x\"],{\"k\":{\"n\":[1,2]}}]"),
        Arguments.of(
            """
            {"method": "emit", "event": "ping", "data": [], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[]"),
        Arguments.of(
            """
            {"method": "emit", "event": "ping", "data": [null], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[null]"),
        Arguments.of(
            """
            {"method": "emit", "event": "ping", "data": [[1, 2]], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[[1,2]]"));
  }

  @ParameterizedTest
  @MethodSource("emitData")
  void decodesEmitDataAsTheArgumentList(String wire, String expectedArgs) throws Exception {
    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.args()).isEqualTo(args(expectedArgs));
  }

  /** Before 5.14 python-socketio published a single argument without wrapping it in a list. */
  static Stream<Arguments> legacyEmitData() {
    return Stream.of(
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": {"chat_id": "c1"}, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[{\"chat_id\":\"c1\"}]"),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": "hello", "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[\"hello\"]"),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": 42, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[42]"),
        Arguments.of(
            """
            {"method": "emit", "event": "events", "data": null, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""",
            "[]"));
  }

  @ParameterizedTest
  @MethodSource("legacyEmitData")
  void decodesLegacyEmitDataThatIsNotAListAsOneArgument(String wire, String expectedArgs)
      throws Exception {
    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.args()).isEqualTo(args(expectedArgs));
  }

  @Test
  void decodesEmitCallbackAsCallbackTarget() throws Exception {
    String wire =
        """
        {"method": "emit", "event": "confirm", "data": ["sure?"], "binary": false, "namespace": "/", "room": "sid1", "skip_sid": null, "callback": ["sid1", "/", 3], "host_id": "0123456789abcdef0123456789abcdef"}""";

    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.callback()).isEqualTo(new ClusterMessage.CallbackTarget("sid1", "/", 3));
    assertThat(emit.rooms()).containsExactly("sid1");
    assertThat(emit.args()).isEqualTo(args("[\"sure?\"]"));
  }

  @Test
  void decodesEmitWithoutNamespaceIntoTheMainNamespace() throws Exception {
    String wire =
        """
        {"method": "emit", "event": "events", "data": [], "room": null, "host_id": "0123456789abcdef0123456789abcdef"}""";

    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.namespace()).isEqualTo("/");
    assertThat(emit.callback()).isNull();
  }

  @Test
  void decodesBinaryEmitByPuttingAttachmentsBackInPlaceOfTheirPlaceholders() throws Exception {
    String wire =
        """
        {"method": "emit", "event": "file", "data": [[{"_placeholder": true, "num": 0}, "x"], "AQID"], "binary": true, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""";

    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.event()).isEqualTo("file");
    assertThat(emit.args()).hasSize(2);
    assertThat(emit.args().get(0)).isInstanceOf(BinaryNode.class);
    assertThat(emit.args().get(0).binaryValue()).containsExactly(1, 2, 3);
    assertThat(emit.args().get(1).asText()).isEqualTo("x");
  }

  @Test
  void decodesBinaryEmitWithNestedAndSeveralAttachments() throws Exception {
    String wire =
        """
        {"method": "emit", "event": "files", "data": [[{"name": "a", "body": {"_placeholder": true, "num": 1}}, [{"_placeholder": true, "num": 0}]], "//8=", "AQID"], "binary": true, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}""";

    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    assertThat(emit.args().get(0).get("name").asText()).isEqualTo("a");
    assertThat(emit.args().get(0).get("body").binaryValue()).containsExactly(1, 2, 3);
    assertThat(emit.args().get(1).get(0).binaryValue()).containsExactly(0xff, 0xff);
  }

  // ---------------------------------------------------------------- decode: other methods

  /** Every other method python-socketio publishes, and the record it becomes. */
  static Stream<Arguments> otherMessages() {
    return Stream.of(
        Arguments.of(
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "id": 7, "args": [{"ok": true}]}""",
            new ClusterMessage.Callback(HOST, "s", "/", 7, args("[{\"ok\":true}]"))),
        Arguments.of(
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/admin", "id": 0, "args": []}""",
            new ClusterMessage.Callback(HOST, "s", "/admin", 0, List.of())),
        Arguments.of(
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "id": 9, "args": ["a", 2, null]}""",
            new ClusterMessage.Callback(HOST, "s", "/", 9, args("[\"a\",2,null]"))),
        Arguments.of(
            """
            {"method": "disconnect", "sid": "sid1", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}""",
            new ClusterMessage.Disconnect("sid1", "/", HOST)),
        Arguments.of(
            """
            {"method": "disconnect", "sid": "sid1", "namespace": "/admin", "host_id": "0123456789abcdef0123456789abcdef"}""",
            new ClusterMessage.Disconnect("sid1", "/admin", HOST)),
        Arguments.of(
            """
            {"method": "enter_room", "sid": "sid1", "room": "user:42", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}""",
            new ClusterMessage.EnterRoom("sid1", "user:42", "/", HOST)),
        Arguments.of(
            """
            {"method": "leave_room", "sid": "sid1", "room": "user:42", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}""",
            new ClusterMessage.LeaveRoom("sid1", "user:42", "/", HOST)),
        Arguments.of(
            """
            {"method": "close_room", "room": "chat:c1", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}""",
            new ClusterMessage.CloseRoom("chat:c1", "/", HOST)));
  }

  @ParameterizedTest
  @MethodSource("otherMessages")
  void decodesCallbackDisconnectAndRoomMessages(String wire, ClusterMessage expected)
      throws Exception {
    assertThat(codec.decode(wire)).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- encode

  /**
   * Records and the JSON python-socketio publishes for them; the encoded text must parse to exactly
   * this tree (every key, value and JSON type, nothing more).
   */
  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of(
            "emit to one room",
            new ClusterMessage.Emit(
                "events",
                args("[{\"chat_id\":\"c1\"}]"),
                "/",
                List.of("user:42"),
                null,
                null,
                HOST),
            """
            {"method": "emit", "event": "events", "data": [{"chat_id": "c1"}], "binary": false, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "emit to several rooms with several arguments",
            new ClusterMessage.Emit(
                "events",
                args("[\"a\",1,{\"k\":[true,null]}]"),
                "/",
                List.of("user:42", "chat:c1"),
                null,
                null,
                HOST),
            """
            {"method": "emit", "event": "events", "data": ["a", 1, {"k": [true, null]}], "binary": false, "namespace": "/", "room": ["user:42", "chat:c1"], "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "broadcast without arguments",
            new ClusterMessage.Emit("ping", List.of(), "/", null, null, null, HOST),
            """
            {"method": "emit", "event": "ping", "data": [], "binary": false, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "emit with an empty skip list",
            new ClusterMessage.Emit(
                "events", List.of(), "/admin", List.of("chat:c1"), List.of(), null, HOST),
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/admin", "room": "chat:c1", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "emit skipping one sid",
            new ClusterMessage.Emit(
                "events", List.of(), "/", List.of("chat:c1"), List.of("sid1"), null, HOST),
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": "chat:c1", "skip_sid": "sid1", "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "emit skipping several sids",
            new ClusterMessage.Emit(
                "events", List.of(), "/", null, List.of("sid1", "sid2"), null, HOST),
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": null, "skip_sid": ["sid1", "sid2"], "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "call",
            new ClusterMessage.Emit(
                "confirm",
                args("[\"sure?\"]"),
                "/",
                List.of("sid1"),
                null,
                new ClusterMessage.CallbackTarget("sid1", "/", 3),
                HOST),
            """
            {"method": "emit", "event": "confirm", "data": ["sure?"], "binary": false, "namespace": "/", "room": "sid1", "skip_sid": null, "callback": ["sid1", "/", 3], "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "binary emit",
            new ClusterMessage.Emit(
                "file",
                List.of(bytes(1, 2, 3), JsonNodeFactory.instance.textNode("x")),
                "/",
                List.of("user:42"),
                null,
                null,
                HOST),
            """
            {"method": "emit", "event": "file", "data": [[{"_placeholder": true, "num": 0}, "x"], "AQID"], "binary": true, "namespace": "/", "room": "user:42", "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "binary emit with nested attachments",
            new ClusterMessage.Emit(
                "files",
                List.of(
                    JsonNodeFactory.instance
                        .objectNode()
                        .put("name", "a")
                        .set("body", bytes(1, 2, 3)),
                    JsonNodeFactory.instance.arrayNode().add(bytes(0xff, 0xff))),
                "/",
                null,
                null,
                null,
                HOST),
            """
            {"method": "emit", "event": "files", "data": [[{"name": "a", "body": {"_placeholder": true, "num": 0}}, [{"_placeholder": true, "num": 1}]], "AQID", "//8="], "binary": true, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "callback",
            new ClusterMessage.Callback(HOST, "s", "/", 7, args("[{\"ok\":true}]")),
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "id": 7, "args": [{"ok": true}]}"""),
        Arguments.of(
            "callback without arguments",
            new ClusterMessage.Callback(HOST, "s", "/", 8, List.of()),
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "id": 8, "args": []}"""),
        Arguments.of(
            "disconnect",
            new ClusterMessage.Disconnect("sid1", "/", HOST),
            """
            {"method": "disconnect", "sid": "sid1", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "enter_room",
            new ClusterMessage.EnterRoom("sid1", "user:42", "/", HOST),
            """
            {"method": "enter_room", "sid": "sid1", "room": "user:42", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "leave_room",
            new ClusterMessage.LeaveRoom("sid1", "user:42", "/", HOST),
            """
            {"method": "leave_room", "sid": "sid1", "room": "user:42", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "close_room",
            new ClusterMessage.CloseRoom("chat:c1", "/", HOST),
            """
            {"method": "close_room", "room": "chat:c1", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void encodesEveryKeyPythonSocketioExpects(String name, ClusterMessage message, String wire) {
    JsonNode encoded = json(codec.encode(message));

    assertThat(encoded).isEqualTo(json(wire));
  }

  @Test
  void keepsEmitDataAsItsJsonTextUntilSomethingReadsIt() throws Exception {
    String data = "[{\"chat_id\": \"c1\", \"n\": 1.50, \"t\": \"\\u00e9\"}, [1, 2]]";
    String wire =
        "{\"method\": \"emit\", \"event\": \"events\", \"data\": "
            + data
            + ", \"binary\": false, \"namespace\": \"/\", \"room\": \"user:42\","
            + " \"skip_sid\": null, \"callback\": null, \"host_id\": \""
            + HOST
            + "\"}";

    ClusterMessage.Emit emit = (ClusterMessage.Emit) codec.decode(wire);

    RawJsonArgs raw = (RawJsonArgs) emit.args();
    assertThat(raw.json()).isEqualTo(data);
    assertThat(raw.isParsed()).isFalse();
    // Published again, the data goes out as it came in.
    assertThat(codec.encode(emit)).contains("\"data\":" + data);
    assertThat(raw.isParsed()).isFalse();
    // Reading an argument parses the list, once.
    assertThat(emit.args()).isEqualTo(args("[{\"chat_id\":\"c1\",\"n\":1.50,\"t\":\"é\"},[1,2]]"));
    assertThat(raw.isParsed()).isTrue();
  }

  @Test
  void aMalformedDataListIsRejectedWhileTheMessageIsRead() {
    String wire =
        "{\"method\": \"emit\", \"event\": \"events\", \"data\": [{\"a\": tru}],"
            + " \"namespace\": \"/\", \"room\": null, \"host_id\": \""
            + HOST
            + "\"}";

    assertThatThrownBy(() -> codec.decode(wire)).isInstanceOf(ClusterProtocolException.class);
  }

  @Test
  void encodesBinaryArgumentsWithoutChangingTheMessage() throws Exception {
    ObjectNode file = JsonNodeFactory.instance.objectNode().set("body", bytes(1, 2, 3));
    ClusterMessage.Emit emit =
        new ClusterMessage.Emit("file", List.of(file), "/", null, null, null, HOST);

    codec.encode(emit);

    assertThat(file.get("body").isBinary()).isTrue();
  }

  // ---------------------------------------------------------------- round trips

  static Stream<Arguments> roundTrips() {
    return Stream.of(
        Arguments.of(
            "emit to one room",
            new ClusterMessage.Emit(
                "events",
                args("[{\"chat_id\":\"c1\"}]"),
                "/",
                List.of("user:42"),
                null,
                null,
                HOST)),
        Arguments.of(
            "emit to several rooms skipping several sids",
            new ClusterMessage.Emit(
                "events",
                args("[\"a\",1,2.5,true,null,[\"x\"],{\"k\":{}}]"),
                "/admin",
                List.of("user:42", "chat:c1"),
                List.of("sid1", "sid2"),
                null,
                HOST)),
        Arguments.of(
            "emit skipping one sid",
            new ClusterMessage.Emit(
                "events", List.of(), "/", List.of("chat:c1"), List.of("sid1"), null, HOST)),
        Arguments.of(
            "broadcast", new ClusterMessage.Emit("ping", List.of(), "/", null, null, null, HOST)),
        Arguments.of(
            "call",
            new ClusterMessage.Emit(
                "confirm",
                args("[\"sure?\"]"),
                "/",
                List.of("sid1"),
                null,
                new ClusterMessage.CallbackTarget("sid1", "/", 3),
                HOST)),
        Arguments.of(
            "binary emit",
            new ClusterMessage.Emit(
                "file",
                List.of(
                    bytes(1, 2, 3),
                    JsonNodeFactory.instance.textNode("x"),
                    JsonNodeFactory.instance.objectNode().set("nested", bytes(0xff, 0, 0x80))),
                "/",
                List.of("user:42"),
                null,
                null,
                HOST)),
        Arguments.of(
            "callback", new ClusterMessage.Callback(HOST, "s", "/", 7, args("[{\"ok\":true}]"))),
        Arguments.of("disconnect", new ClusterMessage.Disconnect("sid1", "/admin", HOST)),
        Arguments.of("enter_room", new ClusterMessage.EnterRoom("sid1", "user:42", "/", HOST)),
        Arguments.of("leave_room", new ClusterMessage.LeaveRoom("sid1", "user:42", "/", HOST)),
        Arguments.of("close_room", new ClusterMessage.CloseRoom("chat:c1", "/", HOST)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roundTrips")
  void decodesWhatItEncodes(String name, ClusterMessage message) throws Exception {
    assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void reencodesPythonMessagesUnchanged(String name, ClusterMessage message, String wire)
      throws Exception {
    assertThat(json(codec.encode(codec.decode(wire)))).isEqualTo(json(wire));
  }

  // ---------------------------------------------------------------- invalid input

  static Stream<Arguments> invalidMessages() {
    return Stream.of(
        Arguments.of("not JSON", "method=emit"),
        Arguments.of("truncated JSON", "{\"method\": \"emit\", "),
        Arguments.of("empty text", ""),
        Arguments.of("JSON array", "[\"emit\", \"events\"]"),
        Arguments.of("JSON string", "\"emit\""),
        Arguments.of("JSON null", "null"),
        Arguments.of(
            "missing method",
            """
            {"event": "events", "data": [], "namespace": "/", "room": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "unknown method",
            """
            {"method": "shout", "event": "events", "data": [], "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "emit without event",
            """
            {"method": "emit", "data": [], "binary": false, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "callback without id",
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "args": [{"ok": true}]}"""),
        Arguments.of(
            "callback with a non-numeric id",
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "id": "seven", "args": []}"""),
        Arguments.of(
            "callback with non-list args",
            """
            {"method": "callback", "host_id": "0123456789abcdef0123456789abcdef", "sid": "s", "namespace": "/", "id": 7, "args": {"ok": true}}"""),
        Arguments.of(
            "binary emit whose attachment is not base64",
            """
            {"method": "emit", "event": "file", "data": [[{"_placeholder": true, "num": 0}], "not base64!"], "binary": true, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "binary emit whose attachment is not text",
            """
            {"method": "emit", "event": "file", "data": [[{"_placeholder": true, "num": 0}], 1], "binary": true, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "binary emit whose data[0] is not a list",
            """
            {"method": "emit", "event": "file", "data": [{"_placeholder": true, "num": 0}, "AQID"], "binary": true, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "binary emit with empty data",
            """
            {"method": "emit", "event": "file", "data": [], "binary": true, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "binary emit whose placeholder has no attachment",
            """
            {"method": "emit", "event": "file", "data": [[{"_placeholder": true, "num": 1}], "AQID"], "binary": true, "namespace": "/", "room": null, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "room of a number",
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": 42, "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "room list containing a number",
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": ["user:42", 42], "skip_sid": null, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "skip_sid of an object",
            """
            {"method": "emit", "event": "events", "data": [], "binary": false, "namespace": "/", "room": null, "skip_sid": {"sid": "sid1"}, "callback": null, "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "callback target whose id is not a number",
            """
            {"method": "emit", "event": "confirm", "data": [], "binary": false, "namespace": "/", "room": "sid1", "skip_sid": null, "callback": ["sid1", "/", "three"], "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "disconnect without sid",
            """
            {"method": "disconnect", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "enter_room without room",
            """
            {"method": "enter_room", "sid": "sid1", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""),
        Arguments.of(
            "close_room without room",
            """
            {"method": "close_room", "namespace": "/", "host_id": "0123456789abcdef0123456789abcdef"}"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidMessages")
  void rejectsInvalidMessages(String name, String wire) {
    assertThatThrownBy(() -> codec.decode(wire)).isInstanceOf(ClusterProtocolException.class);
  }
}
