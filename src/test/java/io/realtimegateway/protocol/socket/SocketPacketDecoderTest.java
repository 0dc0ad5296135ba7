package io.realtimegateway.protocol.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SocketPacketDecoderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_ATTACHMENTS = 10;

  private static final String PLACEHOLDER_0 = "{\"_placeholder\":true,\"num\":0}";
  private static final String PLACEHOLDER_1 = "{\"_placeholder\":true,\"num\":1}";

  private final SocketPacketDecoder decoder = new SocketPacketDecoder(MAX_ATTACHMENTS);

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static SocketPacket packet(
      SocketPacketType type, String namespace, String json, Long ackId) {
    return new SocketPacket(type, namespace, json == null ? null : parse(json), ackId);
  }

  static Stream<Arguments> textMessages() {
    return Stream.of(
        Arguments.of("0", packet(SocketPacketType.CONNECT, "/", null, null)),
        Arguments.of(
            "0/custom,{\"token\":\"abc\"}",
            packet(SocketPacketType.CONNECT, "/custom", "{\"token\":\"abc\"}", null)),
        Arguments.of("1/custom,", packet(SocketPacketType.DISCONNECT, "/custom", null, null)),
        Arguments.of(
            "2[\"message\",1,\"2\",{\"3\":[true]}]",
            packet(SocketPacketType.EVENT, "/", "[\"message\",1,\"2\",{\"3\":[true]}]", null)),
        Arguments.of(
            "2/custom,12[\"a\"]", packet(SocketPacketType.EVENT, "/custom", "[\"a\"]", 12L)),
        Arguments.of(
            "2[\"a\",{\"_placeholder\":false,\"num\":0}]",
            packet(
                SocketPacketType.EVENT, "/", "[\"a\",{\"_placeholder\":false,\"num\":0}]", null)),
        Arguments.of("3456[1,\"2\"]", packet(SocketPacketType.ACK, "/", "[1,\"2\"]", 456L)));
  }

  @ParameterizedTest
  @MethodSource("textMessages")
  void decodesTextPacketAtOnce(String message, SocketPacket expected)
      throws SocketProtocolException {
    assertEquals(expected, decoder.decodeText(message));
    assertFalse(decoder.isAwaitingAttachments());
  }

  @Test
  void holdsBinaryEventUntilEveryAttachmentArrives() throws SocketProtocolException {
    assertNull(
        decoder.decodeText("52-[\"message-back\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]"));
    assertTrue(decoder.isAwaitingAttachments());

    assertNull(decoder.decodeBinary(new byte[] {1, 2, 3}));
    assertTrue(decoder.isAwaitingAttachments());

    SocketPacket packet = decoder.decodeBinary(new byte[] {4, 5, 6});

    assertFalse(decoder.isAwaitingAttachments());
    assertEquals(SocketPacketType.BINARY_EVENT, packet.type());
    assertTrue(packet.isEvent());
    assertEquals("/", packet.namespace());
    assertNull(packet.ackId());
    assertEquals("message-back", packet.eventName());
    ArrayNode expected = JsonNodeFactory.instance.arrayNode();
    expected.add("message-back");
    expected.add(BinaryNode.valueOf(new byte[] {1, 2, 3}));
    expected.add(BinaryNode.valueOf(new byte[] {4, 5, 6}));
    assertEquals(expected, packet.data());
  }

  @Test
  void reassemblesBinaryAckWithNamespaceAndAckId() throws SocketProtocolException {
    assertNull(
        decoder.decodeText("62-/custom,789[" + PLACEHOLDER_1 + ",\"x\"," + PLACEHOLDER_0 + "]"));
    assertNull(decoder.decodeBinary(new byte[] {1}));

    SocketPacket packet = decoder.decodeBinary(new byte[] {2});

    ArrayNode expected = JsonNodeFactory.instance.arrayNode();
    expected.add(BinaryNode.valueOf(new byte[] {2}));
    expected.add("x");
    expected.add(BinaryNode.valueOf(new byte[] {1}));
    assertEquals(new SocketPacket(SocketPacketType.BINARY_ACK, "/custom", expected, 789L), packet);
    assertTrue(packet.isAck());
  }

  @Test
  void putsBinaryBackIntoNestedObjectsAndArrays() throws SocketProtocolException {
    decoder.decodeText(
        "53-[\"upload\",{\"name\":\"file\",\"content\":"
            + PLACEHOLDER_0
            + ",\"parts\":["
            + PLACEHOLDER_1
            + ",{\"chunk\":{\"_placeholder\":true,\"num\":2}}]}]");
    decoder.decodeBinary(new byte[] {1});
    decoder.decodeBinary(new byte[] {2});

    SocketPacket packet = decoder.decodeBinary(new byte[] {3});

    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("name", "file");
    payload.set("content", BinaryNode.valueOf(new byte[] {1}));
    ArrayNode parts = payload.putArray("parts");
    parts.add(BinaryNode.valueOf(new byte[] {2}));
    parts.addObject().set("chunk", BinaryNode.valueOf(new byte[] {3}));
    assertEquals(SocketPacket.event("/", "upload", null, payload).data(), packet.data());
  }

  @Test
  void decodesWhatTheCodecEncodes() throws SocketProtocolException {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.set("image", BinaryNode.valueOf(new byte[] {(byte) 0xff, 0, 127}));
    payload.putArray("more").add(BinaryNode.valueOf(new byte[0])).add(7);
    SocketPacket original = SocketPacket.event("/chat", "file", 33L, payload);
    EncodedSocketPacket encoded = SocketPacketCodec.encode(original);

    SocketPacket decoded = decoder.decodeText(encoded.text());
    for (byte[] attachment : encoded.attachments()) {
      decoded = decoder.decodeBinary(attachment);
    }

    assertEquals(
        new SocketPacket(SocketPacketType.BINARY_EVENT, "/chat", original.data(), 33L), decoded);
  }

  @Test
  void decodesNextPacketAfterCompletingBinaryPacket() throws SocketProtocolException {
    decoder.decodeText("51-[\"a\"," + PLACEHOLDER_0 + "]");
    decoder.decodeBinary(new byte[] {1});

    assertEquals(
        packet(SocketPacketType.EVENT, "/", "[\"b\"]", null), decoder.decodeText("2[\"b\"]"));
    assertNull(decoder.decodeText("51-[\"c\"," + PLACEHOLDER_0 + "]"));
    assertEquals(
        JsonNodeFactory.instance.binaryNode(new byte[] {2}),
        decoder.decodeBinary(new byte[] {2}).data().get(1));
  }

  @Test
  void acceptsAsManyAttachmentsAsTheMaximum() throws SocketProtocolException {
    SocketPacketDecoder small = new SocketPacketDecoder(2);

    assertNull(small.decodeText("52-[\"a\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]"));
    assertNull(small.decodeBinary(new byte[] {1}));
    assertEquals(
        BinaryNode.valueOf(new byte[] {2}), small.decodeBinary(new byte[] {2}).data().get(2));
  }

  @Test
  void rejectsMoreAttachmentsThanTheMaximum() {
    SocketPacketDecoder small = new SocketPacketDecoder(2);

    assertThrows(
        SocketProtocolException.class,
        () ->
            small.decodeText(
                "53-[\"a\","
                    + PLACEHOLDER_0
                    + ","
                    + PLACEHOLDER_1
                    + ",{\"_placeholder\":true,\"num\":2}]"));
    assertFalse(small.isAwaitingAttachments());
  }

  @Test
  void rejectsTextMessageWhileAwaitingAttachments() throws SocketProtocolException {
    decoder.decodeText("52-[\"a\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]");
    decoder.decodeBinary(new byte[] {1});

    assertThrows(SocketProtocolException.class, () -> decoder.decodeText("2[\"b\"]"));
  }

  @Test
  void rejectsUnexpectedBinaryMessage() {
    assertThrows(SocketProtocolException.class, () -> decoder.decodeBinary(new byte[] {1}));
  }

  @Test
  void rejectsBinaryMessageAfterPacketIsComplete() throws SocketProtocolException {
    decoder.decodeText("51-[\"a\"," + PLACEHOLDER_0 + "]");
    decoder.decodeBinary(new byte[] {1});

    assertThrows(SocketProtocolException.class, () -> decoder.decodeBinary(new byte[] {2}));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"_placeholder\":true,\"num\":1}",
        "{\"_placeholder\":true,\"num\":2}",
        "{\"_placeholder\":true,\"num\":-1}",
        "{\"_placeholder\":true,\"num\":\"zero\"}",
        "{\"_placeholder\":true,\"num\":99999999999}",
        "{\"_placeholder\":true}"
      })
  void rejectsPlaceholderOutOfRange(String placeholder) throws SocketProtocolException {
    assertNull(decoder.decodeText("51-[\"a\"," + placeholder + "]"));

    assertThrows(SocketProtocolException.class, () -> decoder.decodeBinary(new byte[] {1}));
  }

  @Test
  void rejectsNestedPlaceholderOutOfRange() throws SocketProtocolException {
    assertNull(
        decoder.decodeText(
            "51-[\"a\",{\"file\":{\"parts\":[" + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]}}]"));

    assertThrows(SocketProtocolException.class, () -> decoder.decodeBinary(new byte[] {1}));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2[\"a\"," + PLACEHOLDER_0 + "]",
        "2[\"a\",{\"nested\":[" + PLACEHOLDER_0 + "]}]",
        "3456[" + PLACEHOLDER_0 + "]"
      })
  void rejectsPlaceholderInTextPacket(String message) {
    assertThrows(SocketProtocolException.class, () -> decoder.decodeText(message));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "9",
        "2abc",
        "2{}",
        "2[]",
        "2[\"connect\"]",
        "1{}",
        "2",
        "3",
        "5-[\"a\"]",
        "5x-[\"a\"]"
      })
  void rejectsInvalidMessage(String message) {
    assertThrows(SocketProtocolException.class, () -> decoder.decodeText(message));
    assertFalse(decoder.isAwaitingAttachments());
  }
}
