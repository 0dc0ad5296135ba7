package io.realtimegateway.protocol.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SocketPacketCodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String PLACEHOLDER_0 = "{\"_placeholder\":true,\"num\":0}";
  private static final String PLACEHOLDER_1 = "{\"_placeholder\":true,\"num\":1}";
  private static final String LONG_KEY = "k".repeat(10_000);

  static SocketPacket packet(SocketPacketType type, String namespace, String json, Long ackId) {
    return new SocketPacket(type, namespace, json == null ? null : parse(json), ackId);
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Text packets that encode and decode to each other. */
  static Stream<Arguments> textPackets() {
    return Stream.of(
        Arguments.of("0", packet(SocketPacketType.CONNECT, "/", null, null)),
        Arguments.of(
            "0{\"token\":\"123\"}",
            packet(SocketPacketType.CONNECT, "/", "{\"token\":\"123\"}", null)),
        Arguments.of("0/custom,", packet(SocketPacketType.CONNECT, "/custom", null, null)),
        Arguments.of(
            "0/custom,{\"token\":\"abc\"}",
            packet(SocketPacketType.CONNECT, "/custom", "{\"token\":\"abc\"}", null)),
        Arguments.of("1", packet(SocketPacketType.DISCONNECT, "/", null, null)),
        Arguments.of("1/custom,", packet(SocketPacketType.DISCONNECT, "/custom", null, null)),
        Arguments.of(
            "2[\"message\",1,\"2\",{\"3\":[true]}]",
            packet(SocketPacketType.EVENT, "/", "[\"message\",1,\"2\",{\"3\":[true]}]", null)),
        Arguments.of(
            "2456[\"message-with-ack\",1]",
            packet(SocketPacketType.EVENT, "/", "[\"message-with-ack\",1]", 456L)),
        Arguments.of(
            "2/custom,12[\"a\"]", packet(SocketPacketType.EVENT, "/custom", "[\"a\"]", 12L)),
        Arguments.of("20[\"a\"]", packet(SocketPacketType.EVENT, "/", "[\"a\"]", 0L)),
        Arguments.of(
            "2[42,\"numeric event\"]",
            packet(SocketPacketType.EVENT, "/", "[42,\"numeric event\"]", null)),
        Arguments.of("3456[1,\"2\"]", packet(SocketPacketType.ACK, "/", "[1,\"2\"]", 456L)),
        Arguments.of("3456[]", packet(SocketPacketType.ACK, "/", "[]", 456L)),
        Arguments.of("3/custom,7[null]", packet(SocketPacketType.ACK, "/custom", "[null]", 7L)),
        Arguments.of(
            "3999999999999999[]", packet(SocketPacketType.ACK, "/", "[]", 999999999999999L)),
        Arguments.of(
            "4{\"message\":\"Invalid namespace\"}",
            packet(
                SocketPacketType.CONNECT_ERROR, "/", "{\"message\":\"Invalid namespace\"}", null)),
        Arguments.of(
            "4/random,{\"message\":\"Invalid namespace\"}",
            packet(
                SocketPacketType.CONNECT_ERROR,
                "/random",
                "{\"message\":\"Invalid namespace\"}",
                null)),
        Arguments.of(
            "4\"Not authorized\"",
            packet(SocketPacketType.CONNECT_ERROR, "/", "\"Not authorized\"", null)),
        // Found by FrameFuzzIT: client-chosen keys (here a 10,000-character one) must not
        // outlive their packet; see decodesFieldNamesAfreshForEveryPacket.
        Arguments.of(
            "2[\"a\",{\"" + LONG_KEY + "\":1}]",
            packet(SocketPacketType.EVENT, "/", "[\"a\",{\"" + LONG_KEY + "\":1}]", null)));
  }

  @ParameterizedTest
  @MethodSource("textPackets")
  void encodesTextPacket(String wire, SocketPacket packet) {
    EncodedSocketPacket encoded = SocketPacketCodec.encode(packet);

    assertEquals(wire, encoded.text());
    assertTrue(encoded.attachments().isEmpty());
  }

  @ParameterizedTest
  @MethodSource("textPackets")
  void decodesTextPacket(String wire, SocketPacket expected) throws SocketProtocolException {
    SocketPacketCodec.Header header = SocketPacketCodec.decodeHeader(wire);

    assertEquals(expected, header.packet());
    assertEquals(0, header.attachments());
  }

  /**
   * Field names are the client's: a name table shared across packets (Jackson's default
   * canonicalisation) kept up to 12,000 of them, each up to 50,000 characters, after their
   * connections had gone. FrameFuzzIT saw the live heap grow by the keys it had sent.
   */
  @Test
  void decodesFieldNamesAfreshForEveryPacket() throws SocketProtocolException {
    String wire = "2[\"a\",{\"chosen-by-the-client\":1}]";

    String first = SocketPacketCodec.decodeHeader(wire).packet().data().get(1).fieldNames().next();
    String second = SocketPacketCodec.decodeHeader(wire).packet().data().get(1).fieldNames().next();

    assertEquals(first, second);
    assertNotSame(first, second);
  }

  @Test
  void treatsNullOrEmptyNamespaceAsMainNamespace() {
    assertEquals("/", new SocketPacket(SocketPacketType.CONNECT, null, null, null).namespace());
    assertEquals("/", new SocketPacket(SocketPacketType.CONNECT, "", null, null).namespace());
    assertEquals(
        "1",
        SocketPacketCodec.encode(new SocketPacket(SocketPacketType.DISCONNECT, "", null, null))
            .text());
  }

  /** Arguments relayed as JSON text: copied as they are, after the escaped event name. */
  static Stream<Arguments> eventsWithJsonArguments() {
    return Stream.of(
        Arguments.of("/", "events", "[{\"a\": 1.50}]", "2[\"events\",{\"a\": 1.50}]"),
        Arguments.of("/", "ping", "[]", "2[\"ping\"]"),
        Arguments.of("/", "ping", "[ \n ]", "2[\"ping\"]"),
        Arguments.of("/", "events", "[ 1, \"\\u00e9\"]", "2[\"events\",1, \"\\u00e9\"]"),
        Arguments.of("/admin", "a\"b\\c", "[null]", "2/admin,[\"a\\\"b\\\\c\",null]"));
  }

  @ParameterizedTest
  @MethodSource("eventsWithJsonArguments")
  void encodesEventWithArgumentsGivenAsJsonText(
      String namespace, String event, String args, String wire) throws Exception {
    EncodedSocketPacket encoded = SocketPacketCodec.encodeEvent(namespace, event, args);

    assertEquals(wire, encoded.text());
    assertTrue(encoded.attachments().isEmpty());
    // And it reads back as the event with those arguments.
    SocketPacket decoded = SocketPacketCodec.decodeHeader(wire).packet();
    assertEquals(event, decoded.eventName());
    ArrayNode expected = (ArrayNode) new ObjectMapper().readTree(args);
    expected.insert(0, event);
    assertEquals(expected, decoded.data());
  }

  @Test
  void encodesEventBuiltFromArguments() {
    SocketPacket packet =
        SocketPacket.event(
            "/", "message", 456L, parse("1"), TextNode.valueOf("2"), parse("{\"3\":[true]}"));

    assertEquals(
        "2456[\"message\",1,\"2\",{\"3\":[true]}]", SocketPacketCodec.encode(packet).text());
    assertEquals("message", packet.eventName());
  }

  @Test
  void encodesBinaryEventWithPlaceholdersAndAttachments() {
    SocketPacket packet =
        SocketPacket.event(
            "/",
            "message-back",
            null,
            BinaryNode.valueOf(new byte[] {1, 2, 3}),
            BinaryNode.valueOf(new byte[] {4, 5, 6}));

    EncodedSocketPacket encoded = SocketPacketCodec.encode(packet);

    assertEquals(
        "52-[\"message-back\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]", encoded.text());
    assertEquals(2, encoded.attachments().size());
    assertArrayEquals(new byte[] {1, 2, 3}, encoded.attachments().get(0));
    assertArrayEquals(new byte[] {4, 5, 6}, encoded.attachments().get(1));
  }

  @Test
  void encodesBinaryEventWithNamespaceAndAckId() {
    SocketPacket packet =
        SocketPacket.event("/custom", "upload", 12L, BinaryNode.valueOf(new byte[] {9}));

    EncodedSocketPacket encoded = SocketPacketCodec.encode(packet);

    assertEquals("51-/custom,12[\"upload\"," + PLACEHOLDER_0 + "]", encoded.text());
    assertEquals(1, encoded.attachments().size());
    assertArrayEquals(new byte[] {9}, encoded.attachments().get(0));
  }

  @Test
  void encodesAckWithBinaryAsBinaryAck() {
    ArrayNode data = SocketPacketCodec.newArray();
    data.add(BinaryNode.valueOf(new byte[] {1, 2}));
    data.add("text");
    data.add(BinaryNode.valueOf(new byte[] {3, 4}));
    SocketPacket packet = new SocketPacket(SocketPacketType.ACK, "/", data, 789L);

    EncodedSocketPacket encoded = SocketPacketCodec.encode(packet);

    assertEquals("62-789[" + PLACEHOLDER_0 + ",\"text\"," + PLACEHOLDER_1 + "]", encoded.text());
    assertEquals(2, encoded.attachments().size());
    assertArrayEquals(new byte[] {1, 2}, encoded.attachments().get(0));
    assertArrayEquals(new byte[] {3, 4}, encoded.attachments().get(1));
  }

  @Test
  void encodesBinaryNestedInObjectsAndArraysInDepthFirstOrder() {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("name", "file");
    payload.set("content", BinaryNode.valueOf(new byte[] {1}));
    ArrayNode parts = payload.putArray("parts");
    parts.add(BinaryNode.valueOf(new byte[] {2}));
    parts.addObject().set("chunk", BinaryNode.valueOf(new byte[] {3}));
    SocketPacket packet = SocketPacket.event("/", "upload", null, payload);

    EncodedSocketPacket encoded = SocketPacketCodec.encode(packet);

    assertEquals(
        "53-[\"upload\",{\"name\":\"file\",\"content\":"
            + PLACEHOLDER_0
            + ",\"parts\":["
            + PLACEHOLDER_1
            + ",{\"chunk\":{\"_placeholder\":true,\"num\":2}}]}]",
        encoded.text());
    assertEquals(3, encoded.attachments().size());
    assertArrayEquals(new byte[] {1}, encoded.attachments().get(0));
    assertArrayEquals(new byte[] {2}, encoded.attachments().get(1));
    assertArrayEquals(new byte[] {3}, encoded.attachments().get(2));
  }

  @Test
  void leavesOriginalDataUntouchedWhenExtractingBinary() {
    BinaryNode binary = BinaryNode.valueOf(new byte[] {1, 2, 3});
    SocketPacket packet = SocketPacket.event("/", "message-back", null, binary);

    SocketPacketCodec.encode(packet);
    SocketPacketCodec.encode(packet);

    assertEquals(binary, packet.data().get(1));
    assertEquals(
        "51-[\"message-back\"," + PLACEHOLDER_0 + "]", SocketPacketCodec.encode(packet).text());
  }

  static Stream<Arguments> binaryHeaders() {
    return Stream.of(
        Arguments.of(
            "52-[\"message-back\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]",
            packet(
                SocketPacketType.BINARY_EVENT,
                "/",
                "[\"message-back\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]",
                null),
            2),
        Arguments.of(
            "51-/custom,12[\"upload\"," + PLACEHOLDER_0 + "]",
            packet(
                SocketPacketType.BINARY_EVENT,
                "/custom",
                "[\"upload\"," + PLACEHOLDER_0 + "]",
                12L),
            1),
        Arguments.of(
            "62-789[" + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]",
            packet(
                SocketPacketType.BINARY_ACK,
                "/",
                "[" + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]",
                789L),
            2),
        Arguments.of(
            "510-[\"many\"]", packet(SocketPacketType.BINARY_EVENT, "/", "[\"many\"]", null), 10));
  }

  @ParameterizedTest
  @MethodSource("binaryHeaders")
  void decodesBinaryHeaderWithPlaceholdersAndAttachmentCount(
      String wire, SocketPacket expected, int attachments) throws SocketProtocolException {
    SocketPacketCodec.Header header = SocketPacketCodec.decodeHeader(wire);

    assertEquals(expected, header.packet());
    assertEquals(attachments, header.attachments());
  }

  static Stream<String> invalidMessages() {
    return Stream.of(
        "",
        "7",
        "9",
        "a",
        "/",
        "2abc",
        "2{}",
        "2[]",
        "2\"message\"",
        "2[\"connect\"]",
        "2[\"connect_error\"]",
        "2[\"disconnect\"]",
        "2[\"disconnecting\"]",
        "2[\"newListener\"]",
        "2[\"removeListener\"]",
        "2[null]",
        "2[true]",
        "2[{}]",
        "2[\"message\"",
        "1{}",
        "1[]",
        "1/custom,{}",
        "2",
        "2/custom,",
        "212",
        "3",
        "3456",
        "3/custom,456",
        "3{}",
        "0[]",
        "0\"token\"",
        "4[]",
        "5-[\"a\"]",
        "5x-[\"a\"]",
        "51x-[\"a\"]",
        "5[\"a\"]",
        "5",
        "51-",
        "51-2",
        "51234567-[\"a\"]",
        "6-[]",
        "61-",
        "2/custom,12345678901234567890[\"a\"]");
  }

  @ParameterizedTest
  @MethodSource("invalidMessages")
  void rejectsInvalidMessage(String message) {
    assertThrows(SocketProtocolException.class, () -> SocketPacketCodec.decodeHeader(message));
  }

  /** socket.io-parser and python-socketio parse the whole remainder as one JSON value. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2[\"message\"]garbage",
        "2[\"a\"][\"b\"]",
        "3456[1] 2",
        "0{\"token\":\"123\"}{}",
        "4{\"message\":\"x\"}}"
      })
  void rejectsTrailingDataAfterJsonPayload(String message) {
    assertThrows(SocketProtocolException.class, () -> SocketPacketCodec.decodeHeader(message));
  }

  /** Ack ids are ASCII digits only; socket.io-parser refuses other Unicode digits. */
  @ParameterizedTest
  @ValueSource(strings = {"2\u0663[\"a\"]", "3\u0661\u0662[]", "2\uff11[\"a\"]"})
  void rejectsNonAsciiDigitsAsAckId(String message) {
    assertThrows(SocketProtocolException.class, () -> SocketPacketCodec.decodeHeader(message));
  }

  @Test
  void rejectsNullMessage() {
    assertThrows(SocketProtocolException.class, () -> SocketPacketCodec.decodeHeader(null));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 50, 100})
  void acceptsIntegersUpToOneHundredDigits(int digits) throws SocketProtocolException {
    String number = "9".repeat(digits);

    SocketPacket packet = SocketPacketCodec.decodeHeader("2[\"a\"," + number + "]").packet();

    assertEquals(number, packet.data().get(1).asText());
  }

  @Test
  void rejectsIntegerLongerThanOneHundredDigits() {
    String message = "2[\"a\"," + "9".repeat(101) + "]";

    assertThrows(SocketProtocolException.class, () -> SocketPacketCodec.decodeHeader(message));
  }

  @Test
  void rejectsAckIdOfSixteenDigits() {
    assertThrows(
        SocketProtocolException.class,
        () -> SocketPacketCodec.decodeHeader("3" + "1".repeat(16) + "[]"));
  }

  @Test
  void acceptsAckIdOfFifteenDigits() throws SocketProtocolException {
    SocketPacket packet = SocketPacketCodec.decodeHeader("3" + "1".repeat(15) + "[]").packet();

    assertEquals(111_111_111_111_111L, packet.ackId());
  }

  /** An event whose argument is JSON text: the same packet as the encoded tree, no tree made. */
  @ParameterizedTest
  @MethodSource("rawEvents")
  void encodesAnEventWithItsArgumentAsJsonText(
      String namespace, String event, String argument, String wire) {
    EncodedSocketPacket encoded =
        SocketPacketCodec.encodeEvent(namespace, event, new RawJson(argument).asArguments());

    assertEquals(wire, encoded.text());
    assertTrue(encoded.attachments().isEmpty());
    // The tree path gives the same text for arguments written without spaces.
    if (!argument.contains(" ")) {
      assertEquals(
          SocketPacketCodec.encode(SocketPacket.event(namespace, event, null, parse(argument)))
              .text(),
          wire);
    }
  }

  static Stream<Arguments> rawEvents() {
    return Stream.of(
        Arguments.of("/", "events", "{\"a\":[1,2.5,null]}", "2[\"events\",{\"a\":[1,2.5,null]}]"),
        Arguments.of("/", "events", "null", "2[\"events\",null]"),
        Arguments.of("/", "events", "\"hi\"", "2[\"events\",\"hi\"]"),
        Arguments.of("/custom", "e", "1", "2/custom,[\"e\",1]"),
        Arguments.of(
            "/", "quote\" back\\ tab\t é", "true", "2[\"quote\\\" back\\\\ tab\\t é\",true]"),
        Arguments.of("/", "e", "{ \"spaced\" : [ 1 ] }", "2[\"e\",{ \"spaced\" : [ 1 ] }]"));
  }
}
