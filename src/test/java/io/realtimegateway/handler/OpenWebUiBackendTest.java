package io.realtimegateway.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.FakeOpenWebUi;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.OpenWebUiBackendProfile;
import io.realtimegateway.support.Tokens;
import io.socket.client.Ack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@TestProfile(OpenWebUiBackendProfile.class)
class OpenWebUiBackendTest {

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void profileComesFromTheBackend() throws Exception {
    String token = Tokens.valid("backend-user", "Name In Token");
    try (BrowserTab tab = BrowserTab.open(gateway, null, "/", false)) {
      JSONObject answer = userJoin(tab, token);
      assertThat(answer.getString("name")).isEqualTo("Backend backend-user");
      GatewayApi.awaitSession("backend-user", tab.sid());
    }
  }

  @Test
  void profilesAreCachedBriefly() throws Exception {
    String token = Tokens.valid("backend-cached", "C");
    try (BrowserTab tab = BrowserTab.open(gateway, token, "/", false)) {
      GatewayApi.awaitSession("backend-cached", tab.sid());
      int before = FakeOpenWebUi.instance().requestCount("/api/v1/auths/");
      userJoin(tab, token);
      userJoin(tab, token);
      assertThat(FakeOpenWebUi.instance().requestCount("/api/v1/auths/")).isEqualTo(before);
    }
  }

  /** A failure says nothing about the user: the next attempt asks again, and gets in at once. */
  @ParameterizedTest
  @ValueSource(
      ints = {500, 502, 503, 429, FakeOpenWebUi.DROP_CONNECTION, FakeOpenWebUi.INVALID_JSON})
  void aBackendFailureIsNotCached(int failure) throws Exception {
    String userId = "backend-hiccup-" + UUID.randomUUID();
    String token = Tokens.valid(userId, "H");
    FakeOpenWebUi.instance().scriptNextProfile(userId, failure);
    if (failure == FakeOpenWebUi.DROP_CONNECTION) {
      // The JDK client retries a GET once when the connection closes before any answer.
      FakeOpenWebUi.instance().scriptNextProfile(userId, failure);
    }
    try (BrowserTab tab = BrowserTab.open(gateway, null, "/", false)) {
      assertThat(tab.userJoin(token)).isEmpty();
      assertThat(GatewayApi.sessionIds(userId)).isEmpty();
      int afterFailure = FakeOpenWebUi.instance().requestCount("/api/v1/auths/");

      JSONObject answer = userJoin(tab, token);
      assertThat(answer.getString("id")).isEqualTo(userId);
      assertThat(FakeOpenWebUi.instance().requestCount("/api/v1/auths/"))
          .isEqualTo(afterFailure + 1);
      GatewayApi.awaitSession(userId, tab.sid());
    }
  }

  /** A refusal is a definite answer: cached like a profile, the backend is not asked again. */
  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404})
  void aBackendRefusalIsCached(int refusal) throws Exception {
    String userId = "backend-refused-" + UUID.randomUUID();
    String token = Tokens.valid(userId, "R");
    FakeOpenWebUi.instance().scriptNextProfile(userId, refusal);
    try (BrowserTab tab = BrowserTab.open(gateway, null, "/", false)) {
      int before = FakeOpenWebUi.instance().requestCount("/api/v1/auths/");
      assertThat(tab.userJoin(token)).isEmpty();
      assertThat(tab.userJoin(token)).isEmpty();
      assertThat(FakeOpenWebUi.instance().requestCount("/api/v1/auths/")).isEqualTo(before + 1);
      assertThat(GatewayApi.sessionIds(userId)).isEmpty();
    }
  }

  @Test
  void pendingUserIsRefused() throws Exception {
    String token = Tokens.valid("pending-user", "P");
    try (BrowserTab tab = BrowserTab.open(gateway, token)) {
      CompletableFuture<Object[]> ack = new CompletableFuture<>();
      tab.socket()
          .emit(
              "user-join",
              new Object[] {new JSONObject(Map.of("auth", Map.of("token", token)))},
              (Ack) ack::complete);
      assertThat(ack.get(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(GatewayApi.sessionIds("pending-user")).isEmpty();
    }
  }

  @Test
  void typingIsBroadcastToTheChannelSenderIncluded() throws Exception {
    String aliceToken = Tokens.valid("member-alice", "A");
    String bobToken = Tokens.valid("member-bob", "B");
    try (BrowserTab alice = BrowserTab.open(gateway, aliceToken, "/", false);
        BrowserTab bob = BrowserTab.open(gateway, bobToken, "/", false);
        BrowserTab outsider = BrowserTab.open(gateway, Tokens.valid("outsider", "O"))) {
      userJoin(alice, aliceToken);
      userJoin(bob, bobToken);
      List<Object> aliceSaw = channelEvents(alice);
      List<Object> bobSaw = channelEvents(bob);
      List<Object> outsiderSaw = channelEvents(outsider);
      alice
          .socket()
          .emit(
              "events:channel",
              new JSONObject(
                  Map.of(
                      "channel_id",
                      "general",
                      "message_id",
                      JSONObject.NULL,
                      "data",
                      Map.of("type", "typing", "data", Map.of("typing", true)))));
      await().atMost(Duration.ofSeconds(5)).until(() -> aliceSaw.size() == 1 && bobSaw.size() == 1);
      JSONObject event = (JSONObject) bobSaw.get(0);
      assertThat(event.getString("channel_id")).isEqualTo("general");
      assertThat(event.isNull("message_id")).isTrue();
      assertThat(event.getJSONObject("data").getString("type")).isEqualTo("typing");
      JSONObject user = event.getJSONObject("user");
      assertThat(user.getString("id")).isEqualTo("member-alice");
      assertThat(user.getString("name")).isEqualTo("Backend member-alice");
      assertThat(user.getString("role")).isEqualTo("user");
      assertThat(outsiderSaw).isEmpty();
    }
  }

  @Test
  void typingInAChannelTheSenderIsNotInIsIgnored() throws Exception {
    String token = Tokens.valid("member-carol", "C");
    try (BrowserTab carol = BrowserTab.open(gateway, token, "/", false)) {
      userJoin(carol, token);
      List<Object> saw = channelEvents(carol);
      carol
          .socket()
          .emit(
              "events:channel",
              new JSONObject(
                  Map.of(
                      "channel_id", "secret", "data", Map.of("type", "typing", "data", Map.of()))));
      carol
          .socket()
          .emit(
              "events:channel",
              new JSONObject(
                  Map.of(
                      "channel_id", "random", "data", Map.of("type", "typing", "data", Map.of()))));
      await().atMost(Duration.ofSeconds(5)).until(() -> saw.size() == 1);
      assertThat(((JSONObject) saw.get(0)).getString("channel_id")).isEqualTo("random");
    }
  }

  @Test
  void joinNoteNeedsReadAccess() throws Exception {
    String token = Tokens.valid("note-reader", "N");
    try (BrowserTab tab = BrowserTab.open(gateway, token)) {
      GatewayApi.awaitSession("note-reader", tab.sid());
      List<Object> notes = new CopyOnWriteArrayList<>();
      tab.socket().on("events:note", args -> notes.add(args[0]));
      joinNote(tab, token, "private-note");
      joinNote(tab, token, "shared-note");
      GatewayApi.emit(
              Map.of("event", "events:note", "room", "note:private-note", "data", "private"))
          .statusCode(202);
      GatewayApi.emit(Map.of("event", "events:note", "room", "note:shared-note", "data", "shared"))
          .statusCode(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> !notes.isEmpty());
      assertThat(notes).containsExactly("shared");
    }
  }

  private static void joinNote(BrowserTab tab, String token, String noteId) throws Exception {
    CompletableFuture<Object[]> ack = new CompletableFuture<>();
    tab.socket()
        .emit(
            "join-note",
            new Object[] {
              new JSONObject(Map.of("note_id", noteId, "auth", Map.of("token", token)))
            },
            (Ack) ack::complete);
    ack.get(5, TimeUnit.SECONDS);
  }

  private static JSONObject userJoin(BrowserTab tab, String token) throws Exception {
    CompletableFuture<Object> ack = new CompletableFuture<>();
    tab.socket()
        .emit(
            "user-join",
            new Object[] {new JSONObject(Map.of("auth", Map.of("token", token)))},
            (Ack) args -> ack.complete(args.length == 0 ? null : args[0]));
    return (JSONObject) ack.get(5, TimeUnit.SECONDS);
  }

  private static List<Object> channelEvents(BrowserTab tab) {
    List<Object> events = new CopyOnWriteArrayList<>();
    tab.socket().on("events:channel", args -> events.add(args[0]));
    return events;
  }
}
