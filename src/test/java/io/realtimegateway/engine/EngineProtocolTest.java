package io.realtimegateway.engine;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.RawEngineClient;
import io.realtimegateway.support.Tokens;
import io.socket.client.Ack;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class EngineProtocolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void openPacketAnnouncesSidTimingsAndMaxPayload() throws Exception {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      String open = client.nextText();
      assertThat(open).startsWith("0");
      JsonNode handshake = JSON.readTree(open.substring(1));
      assertThat(handshake.get("sid").asText()).hasSize(20);
      assertThat(handshake.get("upgrades").isArray()).isTrue();
      assertThat(handshake.get("upgrades")).isEmpty();
      assertThat(handshake.get("pingInterval").asInt()).isEqualTo(25_000);
      assertThat(handshake.get("pingTimeout").asInt()).isEqualTo(20_000);
      assertThat(handshake.get("maxPayload").asInt()).isEqualTo(1_000_000);
    }
  }

  @Test
  void connectIsAnsweredWithTheSocketSid() throws Exception {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40{\"token\":\"whatever\"}");
      String connect = client.nextText();
      assertThat(connect).startsWith("40{");
      JsonNode payload = JSON.readTree(connect.substring(2));
      assertThat(payload.fieldNames()).toIterable().containsExactly("sid");
      assertThat(payload.get("sid").asText()).hasSize(20);
    }
  }

  @Test
  void unknownNamespaceGetsConnectError() {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40/admin,");
      assertThat(client.nextText()).isEqualTo("44/admin,{\"message\":\"Invalid namespace\"}");
    }
  }

  @Test
  void unsupportedProtocolVersionIsRefusedWithJson() {
    given()
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .get("/ws/socket.io/?EIO=3&transport=websocket")
        .then()
        .statusCode(400)
        .body("code", equalTo(5))
        .body(
            "message",
            equalTo(
                "The client is using an unsupported version of the Socket.IO or Engine.IO"
                    + " protocols"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"flash", "", "Polling", "webtransport"})
  void unknownTransportIsRefusedWithJson(String transport) {
    given()
        .get("/ws/socket.io/?EIO=4&transport=" + transport)
        .then()
        .statusCode(400)
        .body("code", equalTo(0))
        .body("message", equalTo("Invalid transport"));
  }

  @Test
  void plainHttpRequestForTheWebSocketTransportIsRefused() {
    given()
        .get("/ws/socket.io/?EIO=4&transport=websocket")
        .then()
        .statusCode(400)
        .body("message", equalTo("Invalid WebSocket upgrade request"));
  }

  @Test
  void conformanceEndpointsAreNotServedInProduction() {
    given()
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .get("/socket.io/?EIO=4&transport=websocket")
        .then()
        .statusCode(404);
    given().get("/engine.io/?EIO=4&transport=websocket").then().statusCode(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "4abc", "42{}", "42abc[\"heartbeat\",{}]", "8", "41{}", "43"})
  void malformedPacketClosesOnlyThatConnection(String frame) throws Exception {
    try (BrowserTab bystander = BrowserTab.open(gateway, Tokens.valid("bystander", "B"));
        RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40");
      client.nextText();
      client.send(frame);
      client.closed().get(5, TimeUnit.SECONDS);
      assertStillServed(bystander);
    }
  }

  @Test
  void frameOverMaxPayloadClosesOnlyThatConnection() throws Exception {
    try (BrowserTab bystander = BrowserTab.open(gateway, Tokens.valid("bystander", "B"));
        RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40");
      client.nextText();
      char[] filler = new char[1_000_001];
      Arrays.fill(filler, 'x');
      client.send("42[\"heartbeat\",\"" + new String(filler) + "\"]");
      client.closed().get(5, TimeUnit.SECONDS);
      assertStillServed(bystander);
    }
  }

  @Test
  void binaryEventWithAttachmentsIsReassembledAndAcknowledged() {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40");
      client.nextText();
      // heartbeat is handled, so a binary event with an ack id gets its (empty) ack back.
      client.send("451-7[\"heartbeat\",{\"blob\":{\"_placeholder\":true,\"num\":0}}]");
      client.sendBinary(new byte[] {1, 2, 3});
      assertThat(client.nextText()).isEqualTo("437[]");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "421[\"user-join\",42]",
        "421[\"user-join\",{\"auth\":\"nope\"}]",
        "421[\"user-join\"]",
        "421[\"usage\",[1,2]]",
        "421[\"usage\",{\"model\":7}]",
        "421[\"heartbeat\",null]",
        "421[\"join-note\",{\"note_id\":[]}]",
        "421[\"join-channels\",\"x\"]",
        "421[\"events:channel\",{\"channel_id\":1,\"data\":\"typing\"}]",
        "421[\"events:chat\",false]"
      })
  void handlerPayloadOfTheWrongShapeIsIgnoredAndAcknowledged(String frame) {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40");
      client.nextText();
      client.send(frame);
      assertThat(client.nextText()).isEqualTo("431[]");
      client.send("422[\"heartbeat\",{}]");
      assertThat(client.nextText()).isEqualTo("432[]");
    }
  }

  @Test
  void eventWithoutHandlerGetsNoAck() {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/ws/socket.io/")) {
      client.nextText();
      client.send("40");
      client.nextText();
      client.send("421[\"message-with-ack\",1]");
      client.send("422[\"heartbeat\",{}]");
      // Only the handled event is acknowledged; the conformance echo does not exist here.
      assertThat(client.nextText()).isEqualTo("432[]");
    }
  }

  private static void assertStillServed(BrowserTab tab) throws Exception {
    CompletableFuture<Object[]> ack = new CompletableFuture<>();
    tab.socket().emit("heartbeat", new Object[] {new JSONObject()}, (Ack) ack::complete);
    assertThat(ack.get(5, TimeUnit.SECONDS)).isEmpty();
  }
}
