package io.realtimegateway.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnginePacketCodecTest {

  private static final String OPEN_JSON =
      "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],"
          + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";

  static Stream<Arguments> textFrames() {
    return Stream.of(
        Arguments.of("0" + OPEN_JSON, EnginePacket.of(EnginePacketType.OPEN, OPEN_JSON)),
        Arguments.of("1", EnginePacket.of(EnginePacketType.CLOSE)),
        Arguments.of("2", EnginePacket.of(EnginePacketType.PING)),
        Arguments.of("2probe", EnginePacket.of(EnginePacketType.PING, "probe")),
        Arguments.of("3", EnginePacket.of(EnginePacketType.PONG)),
        Arguments.of("3probe", EnginePacket.of(EnginePacketType.PONG, "probe")),
        Arguments.of("4", EnginePacket.message("")),
        Arguments.of("4hello", EnginePacket.message("hello")),
        Arguments.of("4€ ünïcödé", EnginePacket.message("€ ünïcödé")),
        Arguments.of("42[\"event\",1]", EnginePacket.message("2[\"event\",1]")),
        Arguments.of("5", EnginePacket.of(EnginePacketType.UPGRADE)),
        Arguments.of("6", EnginePacket.of(EnginePacketType.NOOP)));
  }

  @ParameterizedTest
  @MethodSource("textFrames")
  void decodesTextFrame(String frame, EnginePacket expected) throws EngineProtocolException {
    assertEquals(expected, EnginePacketCodec.decodeText(frame));
  }

  @ParameterizedTest
  @MethodSource("textFrames")
  void encodesTextFrame(String frame, EnginePacket packet) {
    assertEquals(frame, EnginePacketCodec.encodeText(packet));
  }

  @ParameterizedTest
  @MethodSource("textFrames")
  void encodesSinglePacketPayloadAsItsTextFrame(String frame, EnginePacket packet)
      throws EngineProtocolException {
    assertEquals(frame, EnginePacketCodec.encodePayload(List.of(packet)));
    assertEquals(List.of(packet), EnginePacketCodec.decodePayload(frame));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "7", "8hello", "9", "a", "b", "/", "{\"sid\":\"x\"}"})
  void rejectsInvalidTextFrame(String frame) {
    assertThrows(EngineProtocolException.class, () -> EnginePacketCodec.decodeText(frame));
  }

  @Test
  void rejectsNullTextFrame() {
    assertThrows(EngineProtocolException.class, () -> EnginePacketCodec.decodeText(null));
  }

  @Test
  void decodesBinaryFrameAsBinaryMessage() {
    byte[] frame = {1, 2, 3, 4};

    EnginePacket packet = EnginePacketCodec.decodeBinary(frame);

    assertEquals(EnginePacketType.MESSAGE, packet.type());
    assertTrue(packet.isBinary());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, packet.binary());
    assertEquals(EnginePacket.binaryMessage(new byte[] {1, 2, 3, 4}), packet);
  }

  @Test
  void decodesEmptyBinaryFrameAsEmptyBinaryMessage() {
    EnginePacket packet = EnginePacketCodec.decodeBinary(new byte[0]);

    assertTrue(packet.isBinary());
    assertEquals(0, packet.binary().length);
  }

  @Test
  void refusesToEncodeBinaryPacketAsTextFrame() {
    EnginePacket packet = EnginePacket.binaryMessage(new byte[] {1, 2, 3, 4});

    assertThrows(IllegalArgumentException.class, () -> EnginePacketCodec.encodeText(packet));
  }

  static Stream<Arguments> payloads() {
    return Stream.of(
        Arguments.of("4hello", List.of(EnginePacket.message("hello"))),
        Arguments.of(
            "4hello\u001e4world",
            List.of(EnginePacket.message("hello"), EnginePacket.message("world"))),
        Arguments.of(
            "4hello\u001ebAQIDBA==",
            List.of(
                EnginePacket.message("hello"),
                EnginePacket.binaryMessage(new byte[] {1, 2, 3, 4}))),
        Arguments.of(
            "bAQIDBA==\u001e4hello",
            List.of(
                EnginePacket.binaryMessage(new byte[] {1, 2, 3, 4}),
                EnginePacket.message("hello"))),
        Arguments.of("bAQIDBA==", List.of(EnginePacket.binaryMessage(new byte[] {1, 2, 3, 4}))),
        Arguments.of("b", List.of(EnginePacket.binaryMessage(new byte[0]))),
        Arguments.of(
            "2\u001e4hello\u001e6",
            List.of(
                EnginePacket.of(EnginePacketType.PING),
                EnginePacket.message("hello"),
                EnginePacket.of(EnginePacketType.NOOP))),
        Arguments.of("4\u001e4", List.of(EnginePacket.message(""), EnginePacket.message(""))),
        Arguments.of(
            "0" + OPEN_JSON + "\u001e40",
            List.of(EnginePacket.of(EnginePacketType.OPEN, OPEN_JSON), EnginePacket.message("0"))),
        Arguments.of("1", List.of(EnginePacket.of(EnginePacketType.CLOSE))));
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void decodesLongPollingPayload(String payload, List<EnginePacket> expected)
      throws EngineProtocolException {
    assertEquals(expected, EnginePacketCodec.decodePayload(payload));
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void encodesLongPollingPayload(String payload, List<EnginePacket> packets) {
    assertEquals(payload, EnginePacketCodec.encodePayload(packets));
  }

  @Test
  void encodesEmptyPacketListAsEmptyPayload() {
    assertEquals("", EnginePacketCodec.encodePayload(List.of()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "7",
        "a",
        "4hello\u001e7",
        "4hello\u001ea",
        "4hello\u001e",
        "\u001e4hello",
        "4hello\u001e\u001e4world",
        "b!!!!",
        "bAQIDBA=x",
        "bA",
        "4hello\u001eb@@@@"
      })
  void rejectsInvalidLongPollingPayload(String payload) {
    assertThrows(EngineProtocolException.class, () -> EnginePacketCodec.decodePayload(payload));
  }
}
