package io.realtimegateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.realtimegateway.protocol.socket.RawJson;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emit body read without a tree: data kept as sent, batches checked as a whole. */
class EmitRequestTest {

  private static final ObjectReader READER =
      new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static List<EmitRequest> parse(String body) {
    return EmitRequest.parseAll(READER, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Each data value comes out as the exact text it was sent as, wherever it sits in the object. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":[1,2,{\"b\":null}]}",
        "{ \"spaced\" : [ 1 , 2 ] }",
        "\"text with \\\" quote and \\u00e9\"",
        "\"é中\"",
        "12",
        "-0.5e-3",
        "true",
        "null",
        "[]",
        "123456789012345678901234567890",
      })
  void keepsDataAsTheJsonTextSent(String data) {
    for (String body :
        List.of(
            "{\"event\":\"e\",\"data\":" + data + "}",
            "{\"data\":" + data + ",\"event\":\"e\"}",
            "{\"data\":" + data + "   ,\"event\":\"e\",\"room\":\"r\"}",
            "{\"event\":\"e\",\"data\":" + data + "\n}")) {
      assertThat(parse(body))
          .singleElement()
          .extracting(EmitRequest::data)
          .isEqualTo(new RawJson(data));
    }
  }

  @Test
  void missingDataIsJsonNull() {
    assertThat(parse("{\"event\":\"e\"}").get(0).data()).isEqualTo(RawJson.NULL);
  }

  @Test
  void readsTheTargetsOfEachEmit() {
    EmitRequest emit =
        parse(
                "{\"event\":\"e\",\"room\":[\"a\",\"b\"],\"to\":\"sid-1\",\"skip_sid\":\"sid-2\","
                    + "\"unknown\":{\"x\":[1,{\"y\":2}]}}")
            .get(0);

    assertThat(emit.event()).isEqualTo("e");
    assertThat(emit.rooms()).containsExactly("a", "b");
    assertThat(emit.to()).isEqualTo("sid-1");
    assertThat(emit.skipSids()).isEqualTo(Set.of("sid-2"));
  }

  @Test
  void aBatchGivesItsEmitsInOrder() {
    List<EmitRequest> emits =
        parse(
            "[{\"event\":\"a\",\"data\":1},{\"event\":\"b\",\"room\":\"r\"},"
                + "{\"event\":\"c\",\"data\":{\"k\":\"v\"},\"to\":\"s\"}]");

    assertThat(emits).extracting(EmitRequest::event).containsExactly("a", "b", "c");
    assertThat(emits)
        .extracting(EmitRequest::data)
        .containsExactly(new RawJson("1"), RawJson.NULL, new RawJson("{\"k\":\"v\"}"));
  }

  @Test
  void aBadElementFailsTheBatchNamingItsIndex() {
    assertThatThrownBy(
            () -> parse("[{\"event\":\"a\"},{\"event\":\"b\"},{\"event\":\"c\"},{\"data\":1}]"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("item 3: event is required");
              assertThat(e.field()).isEqualTo("event");
              assertThat(e.item()).isEqualTo(3);
            });
    assertThatThrownBy(() -> parse("[{\"event\":\"a\"},{\"event\":\"b\",\"room\":[1]}]"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("item 1: room must be");
              assertThat(e.field()).isEqualTo("room");
              assertThat(e.item()).isEqualTo(1);
            });
    assertThatThrownBy(() -> parse("[{\"event\":\"a\"},\"b\"]"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("item 1: an emit must be a JSON object");
              assertThat(e.field()).isEqualTo("body");
              assertThat(e.item()).isEqualTo(1);
            });
  }

  @Test
  void aSingleBadEmitNamesNoItem() {
    assertThatThrownBy(() -> parse("{\"event\":5}"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("event must be a string");
              assertThat(e.item()).isNull();
            });
  }

  @Test
  void anEmptyBatchIsRefused() {
    assertThatThrownBy(() -> parse("[]"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains("empty");
              assertThat(e.field()).isEqualTo("body");
            });
  }

  @Test
  void aBatchAtTheCapIsReadAndOneAboveIsRefused() {
    assertThat(parse(batchOf(EmitRequest.MAX_BATCH_SIZE))).hasSize(EmitRequest.MAX_BATCH_SIZE);
    assertThatThrownBy(() -> parse(batchOf(EmitRequest.MAX_BATCH_SIZE + 1)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("the batch has more than 10000 emits");
              assertThat(e.field()).isEqualTo("body");
            });
  }

  /** Data that a tree parse would refuse is refused here too, though no tree is made. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"event\":\"e\",\"data\":NaN}",
        "{\"event\":\"e\",\"data\":{\"a\":1}",
        "{\"event\":\"e\",\"data\":[1,]}",
        "{\"event\":\"e\",\"data\":\"unterminated}",
        "{\"event\":\"e\"} {}",
        "[{\"event\":\"e\"}] []",
        "[{\"event\":\"e\"}",
        "[{\"event\":\"e\",\"data\":[1,2}]",
        "42",
        "\"e\"",
        "null",
      })
  void malformedBodiesAreRefusedAsBody(String body) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("body"));
  }

  @Test
  void limitsAndUtf8OfDataAreChecked() {
    String deep = "{\"event\":\"e\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    String longNumber = "{\"event\":\"e\",\"data\":[" + "9".repeat(2000) + "]}";
    byte[] badUtf8 = "{\"event\":\"e\",\"data\":{\"k\":\"xx\"}}".getBytes(StandardCharsets.UTF_8);
    badUtf8[27] = (byte) 0xff;
    byte[] badUtf8String = "{\"event\":\"e\",\"data\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
    badUtf8String[22] = (byte) 0xfe;

    for (byte[] body :
        List.of(
            deep.getBytes(StandardCharsets.UTF_8),
            longNumber.getBytes(StandardCharsets.UTF_8),
            badUtf8,
            badUtf8String)) {
      assertThatThrownBy(() -> EmitRequest.parseAll(READER, Buffer.buffer(body)))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }
  }

  private static String batchOf(int size) {
    return IntStream.range(0, size)
        .mapToObj(i -> "{\"event\":\"e\"}")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
