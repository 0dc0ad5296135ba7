package io.realtimegateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RawEngineClient;
import io.realtimegateway.support.RawPollingClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket, HTTP long-polling and upgrade cases of the official engine.io-protocol (v4) test
 * suite and the cases of the socket.io-protocol (v5) one (its Engine.IO part over polling and
 * WebSocket, its Socket.IO part over WebSocket, as the suite sends them), request for request and
 * frame for frame, against the {@code conformance} profile.
 */
@QuarkusTest
@TestProfile(ConformanceProfile.class)
class ConformanceProfileTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENGINE_SUITE_PATH = "/engine.io/";
  private static final String SOCKET_SUITE_PATH = "/socket.io/";
  private static final String PLACEHOLDERS =
      "[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]";

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void engineHandshakeAnnouncesSuiteTimings() throws Exception {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/engine.io/")) {
      JsonNode open = JSON.readTree(client.next().text().substring(1));
      assertThat(open.get("pingInterval").asInt()).isEqualTo(300);
      assertThat(open.get("pingTimeout").asInt()).isEqualTo(200);
      assertThat(open.get("maxPayload").asInt()).isEqualTo(1_000_000);
      assertThat(open.get("upgrades")).isEmpty();
    }
  }

  @Test
  void engineEchoesTextAndBinaryMessages() {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/engine.io/")) {
      client.next();
      client.send("4hello");
      assertThat(client.nextText()).isEqualTo("4hello");
      client.sendBinary(new byte[] {1, 2, 3, 4});
      assertThat(client.nextBinary()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void engineServerPingsAndClientPongs() {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/engine.io/")) {
      client.next();
      for (int i = 0; i < 3; i++) {
        assertThat(client.next().text()).isEqualTo("2");
        client.send("3");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1"})
  void engineClosesOnInvalidPacketOrClosePacket(String frame) throws Exception {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/engine.io/")) {
      client.next();
      client.send(frame);
      client.closed().get(2, TimeUnit.SECONDS);
    }
  }

  @Test
  void engineClosesWhenPingsGoUnanswered() throws Exception {
    try (RawEngineClient client = RawEngineClient.connect(gateway, "/engine.io/")) {
      client.next();
      client.closed().get(2, TimeUnit.SECONDS);
    }
  }

  // engine.io-protocol, HTTP long-polling and upgrade cases (EIO=4 payloads). The
  // socket.io-protocol
  // suite has the same handshake, heartbeat, close and upgrade cases at its own path, where a
  // Socket.IO server listens (no Engine.IO echo): those run at both paths.

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void enginePollingHandshakeOffersTheUpgradeAndSuiteTimings(String path) throws Exception {
    JSONObject open = new RawPollingClient(gateway, path).handshake();
    assertThat(open.getJSONArray("upgrades").toString()).isEqualTo("[\"websocket\"]");
    assertThat(open.getInt("pingInterval")).isEqualTo(300);
    assertThat(open.getInt("pingTimeout")).isEqualTo(200);
    assertThat(open.getInt("maxPayload")).isEqualTo(1_000_000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"transport=polling", "EIO=abc&transport=polling", "EIO=4", "EIO=4&transport=abc"})
  void enginePollingHandshakeWithBadQueryIsRefused(String query) {
    RawPollingClient client = new RawPollingClient(gateway, "/engine.io/");
    assertThat(RawPollingClient.send(client.request(query).GET()).statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT"})
  void enginePollingHandshakeWithBadMethodIsRefused(String method) {
    RawPollingClient client = new RawPollingClient(gateway, "/engine.io/");
    HttpResponse<String> response =
        RawPollingClient.send(
            client
                .request("EIO=4&transport=polling")
                .method(method, HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4hello", "4test1\u001e4test2\u001e4test3", "4hello\u001ebAQIDBA=="})
  void enginePollingEchoesPayloads(String payload) {
    RawPollingClient client = new RawPollingClient(gateway, "/engine.io/");
    client.handshake();
    HttpResponse<String> push = client.post(payload);
    assertThat(push.statusCode()).isEqualTo(200);
    assertThat(push.body()).isEqualTo("ok");
    HttpResponse<String> poll = client.get();
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).isEqualTo(payload);
  }

  @Test
  void enginePollingClosesOnInvalidPacketFormat() {
    RawPollingClient client = new RawPollingClient(gateway, "/engine.io/");
    client.handshake();
    assertThat(client.post("abc").statusCode()).isEqualTo(400);
    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void enginePollingClosesOnDuplicatePolls(String path) throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, path);
    client.handshake();
    CompletableFuture<HttpResponse<String>> first = client.getAsync();
    Thread.sleep(5);
    HttpResponse<String> second = client.get();
    HttpResponse<String> firstAnswer = first.get(5, TimeUnit.SECONDS);
    assertThat(firstAnswer.statusCode()).isEqualTo(200);
    assertThat(firstAnswer.body()).isEqualTo("1");
    assertThat(second.statusCode()).isIn(400, 500);
    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void enginePollingAnswersClientPings(String path) {
    RawPollingClient client = new RawPollingClient(gateway, path);
    client.handshake();
    for (int i = 0; i < 3; i++) {
      assertThat(client.post("2").statusCode()).isEqualTo(200);
      HttpResponse<String> poll = client.get();
      assertThat(poll.statusCode()).isEqualTo(200);
      assertThat(poll.body()).isEqualTo("3");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void enginePollingClosesOnPingTimeout(String path) throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, path);
    client.handshake();
    // The suites sleep exactly pingInterval + pingTimeout, and their fetch takes a few ms more; the
    // server's timers fire no earlier than that, so a request sent the very same millisecond may
    // still find the session. 100 ms of margin stand for the fetch.
    Thread.sleep(300 + 200 + 100);
    assertThat(client.post("2").statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void enginePollingIsClosedByTheClient(String path) throws Exception {
    RawPollingClient client = new RawPollingClient(gateway, path);
    client.handshake();
    CompletableFuture<HttpResponse<String>> poll = client.getAsync();
    Thread.sleep(5);
    client.post("1");
    HttpResponse<String> answer = poll.get(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("6");
    assertThat(client.get().statusCode()).isEqualTo(400);
  }

  @Test
  void engineUpgradesFromPollingToWebSocket() {
    RawPollingClient client = new RawPollingClient(gateway, "/engine.io/");
    client.handshake();
    try (RawEngineClient socket = upgradeSocket(client)) {
      socket.send("2probe");
      assertThat(socket.next().text()).isEqualTo("3probe");
      HttpResponse<String> poll = client.get();
      assertThat(poll.statusCode()).isEqualTo(200);
      assertThat(poll.body()).isEqualTo("6");
      socket.send("5");
      socket.send("4hello");
      assertThat(socket.next().text()).isEqualTo("4hello");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void engineIgnoresPollingWithTheSameSidAfterUpgrade(String path) {
    RawPollingClient client = new RawPollingClient(gateway, path);
    client.handshake();
    try (RawEngineClient socket = upgradeSocket(client, path)) {
      socket.send("2probe");
      assertThat(socket.next().text()).isEqualTo("3probe");
      socket.send("5");
      assertThat(socket.next().text()).isEqualTo("6");
      assertThat(client.get().statusCode()).isEqualTo(400);
      assertAnswersPings(socket);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ENGINE_SUITE_PATH, SOCKET_SUITE_PATH})
  void engineIgnoresAWebSocketWithTheSameSidAfterUpgrade(String path) {
    RawPollingClient client = new RawPollingClient(gateway, path);
    client.handshake();
    try (RawEngineClient socket = upgradeSocket(client, path)) {
      socket.send("2probe");
      assertThat(socket.next().text()).isEqualTo("3probe");
      socket.send("5");
      assertThat(socket.next().text()).isEqualTo("6");
      HttpResponse<String> second =
          RawPollingClient.send(
              client
                  .request("EIO=4&transport=websocket&sid=" + client.sid())
                  .header("Sec-WebSocket-Version", "13")
                  .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
      assertThat(second.statusCode()).isEqualTo(400);
      assertAnswersPings(socket);
    }
  }

  /** The upgraded session still lives: a client PING is answered (server PINGs may come first). */
  private static void assertAnswersPings(RawEngineClient socket) {
    socket.send("2");
    String frame = socket.next().text();
    while ("2".equals(frame)) {
      socket.send("3");
      frame = socket.next().text();
    }
    assertThat(frame).isEqualTo("3");
  }

  private RawEngineClient upgradeSocket(RawPollingClient client) {
    return upgradeSocket(client, ENGINE_SUITE_PATH);
  }

  private RawEngineClient upgradeSocket(RawPollingClient client, String path) {
    return RawEngineClient.connect(gateway, path, "EIO=4&transport=websocket&sid=" + client.sid());
  }

  @Test
  void connectToMainNamespaceIsGreetedWithItsAuth() throws Exception {
    try (RawEngineClient client = socketIo()) {
      client.send("40");
      assertSidOnly(client.nextText(), "40");
      assertThat(client.nextText()).isEqualTo("42[\"auth\",{}]");
    }
    try (RawEngineClient client = socketIo()) {
      client.send("40{\"token\":\"123\"}");
      assertSidOnly(client.nextText(), "40");
      assertThat(client.nextText()).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
    }
  }

  @Test
  void connectToCustomNamespaceIsGreetedWithItsAuth() throws Exception {
    try (RawEngineClient client = socketIo()) {
      client.send("40/custom,");
      assertSidOnly(client.nextText(), "40/custom,");
      assertThat(client.nextText()).isEqualTo("42/custom,[\"auth\",{}]");
    }
    try (RawEngineClient client = socketIo()) {
      client.send("40/custom,{\"token\":\"abc\"}");
      assertSidOnly(client.nextText(), "40/custom,");
      assertThat(client.nextText()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
    }
  }

  @Test
  void connectToUnknownNamespaceIsRefused() {
    try (RawEngineClient client = socketIo()) {
      client.send("40/random");
      assertThat(client.nextText()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
    }
  }

  @Test
  void connectionWithoutConnectIsClosedAfterConnectTimeout() throws Exception {
    try (RawEngineClient client = socketIo()) {
      // Pings are answered, so only the 1 s connect timeout can close it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (!client.isClosed() && System.nanoTime() < deadline) {
        RawEngineClient.Frame frame = client.poll(100);
        if (frame != null && "2".equals(frame.text())) {
          client.send("3");
        }
      }
      client.closed().get(1, TimeUnit.SECONDS);
    }
  }

  @Test
  void disconnectFromMainNamespaceKeepsTheConnection() {
    try (RawEngineClient client = socketIo()) {
      client.send("40");
      client.nextText();
      client.nextText();
      client.send("41");
      assertThat(client.next().text()).isEqualTo("2");
    }
  }

  @Test
  void leavingCustomNamespaceKeepsMainNamespaceWorking() {
    try (RawEngineClient client = socketIo()) {
      client.send("40");
      client.nextText();
      client.nextText();
      client.send("40/custom");
      client.nextText();
      client.nextText();
      client.send("41/custom");
      client.send("42[\"message\",\"message to main namespace\"]");
      assertThat(client.nextText()).isEqualTo("42[\"message-back\",\"message to main namespace\"]");
    }
  }

  @Test
  void plainEventIsSentBack() {
    try (RawEngineClient client = connectedSocketIo()) {
      client.send("42[\"message\",1,\"2\",{\"3\":[true]}]");
      assertThat(client.nextText()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }
  }

  @Test
  void binaryEventIsSentBackWithItsAttachments() {
    try (RawEngineClient client = connectedSocketIo()) {
      client.send("452-[\"message\"," + PLACEHOLDERS.substring(1));
      client.sendBinary(new byte[] {1, 2, 3});
      client.sendBinary(new byte[] {4, 5, 6});
      assertThat(client.nextText()).isEqualTo("452-[\"message-back\"," + PLACEHOLDERS.substring(1));
      assertThat(client.nextBinary()).containsExactly(1, 2, 3);
      assertThat(client.nextBinary()).containsExactly(4, 5, 6);
    }
  }

  @Test
  void eventWithAckIsAcknowledgedWithItsArguments() {
    try (RawEngineClient client = connectedSocketIo()) {
      client.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
      assertThat(client.nextText()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
    }
  }

  @Test
  void binaryEventWithAckIsAcknowledgedWithBinaryAck() {
    try (RawEngineClient client = connectedSocketIo()) {
      client.send("452-789[\"message-with-ack\"," + PLACEHOLDERS.substring(1));
      client.sendBinary(new byte[] {1, 2, 3});
      client.sendBinary(new byte[] {4, 5, 6});
      assertThat(client.nextText()).isEqualTo("462-789" + PLACEHOLDERS);
      assertThat(client.nextBinary()).containsExactly(1, 2, 3);
      assertThat(client.nextBinary()).containsExactly(4, 5, 6);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"4abc", "42{}", "42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]"})
  void invalidPacketClosesTheConnection(String frame) throws Exception {
    try (RawEngineClient client = connectedSocketIo()) {
      client.send(frame);
      client.closed().get(2, TimeUnit.SECONDS);
    }
  }

  @Test
  void invalidFirstPacketClosesTheConnection() throws Exception {
    try (RawEngineClient client = socketIo()) {
      client.send("4abc");
      client.closed().get(2, TimeUnit.SECONDS);
    }
  }

  private RawEngineClient socketIo() {
    RawEngineClient client = RawEngineClient.connect(gateway, "/socket.io/");
    assertThat(client.next().text()).startsWith("0{");
    return client;
  }

  private RawEngineClient connectedSocketIo() {
    RawEngineClient client = socketIo();
    client.send("40");
    client.nextText();
    assertThat(client.nextText()).isEqualTo("42[\"auth\",{}]");
    return client;
  }

  private static void assertSidOnly(String packet, String prefix) throws Exception {
    assertThat(packet).startsWith(prefix);
    JsonNode payload = JSON.readTree(packet.substring(prefix.length()));
    assertThat(payload.fieldNames()).toIterable().containsExactly("sid");
  }
}
