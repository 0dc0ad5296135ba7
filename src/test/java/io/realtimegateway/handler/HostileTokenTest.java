package io.realtimegateway.handler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.BrowserTab;
import io.realtimegateway.support.GatewayApi;
import io.realtimegateway.support.Tokens;
import io.socket.client.Ack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad token, presented in the CONNECT auth and in {@code user-join}: the socket stays
 * connected but never enters the session pool nor its user room, and the refusal is logged at debug
 * level with its reason. Valid tokens run through the same checks as a control, so each check is
 * shown able to fail.
 */
@QuarkusTest
@TestProfile(HostileTokenTest.RevocationAndDebugLog.class)
class HostileTokenTest {

  /** Revocation without Redis ({@link RevokedJtiCheck}), and the gateway's debug log on. */
  public static class RevocationAndDebugLog implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(RevokedJtiCheck.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.log.category.\"io.realtimegateway\".level", "DEBUG");
    }
  }

  /**
   * A token to present.
   *
   * @param token the token, given the user id the row stands for
   * @param userRoomOf the user whose room the token names, given that user id
   * @param reason what the debug log says about the refusal; {@code null} for a valid token
   */
  record Row(
      String name,
      Function<String, String> token,
      Function<String, String> userRoomOf,
      String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Whether the token comes in the CONNECT auth or in a {@code user-join} event. */
  enum Path {
    CONNECT,
    USER_JOIN
  }

  static Stream<Arguments> tokens() {
    List<Row> rows =
        List.of(
            valid("valid (control)", Tokens::valid),
            valid("valid, 4 KB of claims (control)", id -> Tokens.padded(id, 4000)),
            refused("alg none, unsigned", Tokens::unsigned, "algorithm none is not HS256"),
            refused(
                "alg none, HS256 signature",
                id -> Tokens.withHeaderAlgorithm("none", id),
                "algorithm none is not HS256"),
            refused("RS256, RSA signature", Tokens::rs256, "algorithm RS256 is not HS256"),
            refused(
                "RS256 header, HS256 signature with the secret",
                id -> Tokens.withHeaderAlgorithm("RS256", id),
                "algorithm RS256 is not HS256"),
            refused("HS512 with the secret", Tokens::hs512, "algorithm HS512 is not HS256"),
            refused(
                "alg hs256 in lower case",
                id -> Tokens.withHeaderAlgorithm("hs256", id),
                "algorithm hs256 is not HS256"),
            refused(
                "HS256 with another secret",
                Tokens::signedWithOtherSecret,
                "signature does not verify"),
            refused(
                "payload swapped after signing",
                Tokens::withSwappedPayload,
                "signature does not verify"),
            refused("expired", Tokens::expired, "expired at"),
            refused("issued in the future", Tokens::issuedInTheFuture, "invalid claim iat"),
            refused("exp is a string", Tokens::withTextExpiry, "not a JWT"),
            refused(
                "revoked",
                id -> Tokens.withJti(id, RevokedJtiCheck.REVOKED + UUID.randomUUID()),
                "revoked (jti " + RevokedJtiCheck.REVOKED),
            refused("no id claim", id -> Tokens.withIdJson(null), "no id claim"),
            refused("id null", id -> Tokens.withIdJson("null"), "no id claim"),
            refused("id empty", id -> Tokens.withIdJson("\"\""), "id claim is empty"),
            new Row(
                "id is a number",
                id -> Tokens.withIdJson("42"),
                id -> "42",
                "id claim is not a string"),
            refused(
                "id is an object",
                id -> Tokens.withIdJson("{\"id\":\"" + id + "\"}"),
                "id claim is not a string"),
            refused(
                "id is a list",
                id -> Tokens.withIdJson("[\"" + id + "\"]"),
                "id claim is not a string"),
            refused("empty string", id -> "", "no token"),
            refused("not a JWT", id -> "not-a-jwt", "not a JWT"),
            refused("three parts of garbage", id -> "a.b.c", "not a JWT"),
            refused("header is not JSON", id -> Tokens.parts("{", "{}"), "not a JWT"),
            refused(
                "payload is a JSON list",
                id -> Tokens.parts("{\"alg\":\"HS256\"}", "[\"" + id + "\"]"),
                "not a JWT"),
            refused("control characters", id -> "a\nb\u0000.c.d", "not a JWT"),
            refused(
                "100 KB, validly signed",
                id -> Tokens.padded(id, 100_000),
                "characters, longer than 8192"),
            refused(
                "100 KB of garbage", id -> "x".repeat(100 * 1024), "characters, longer than 8192"),
            refused(
                "unsigned, a 4 KB claim name",
                id ->
                    Tokens.parts(
                        "{\"alg\":\"HS256\"}",
                        "{\"id\":\"" + id + "\",\"" + "k".repeat(4000) + "\":1}"),
                "claim name longer than 64"),
            refused(
                "signed, a 65-character claim name",
                id -> Tokens.withClaimName(id, "k".repeat(65)),
                "claim name longer than 64"));
    return rows.stream()
        .flatMap(row -> Stream.of(Path.values()).map(path -> Arguments.of(row, path)));
  }

  /** A valid token of the user, named "Name". */
  private static Row valid(String name, BiFunction<String, String, String> token) {
    return new Row(name, id -> token.apply(id, "Name"), id -> id, null);
  }

  private static Row valid(String name, Function<String, String> token) {
    return new Row(name, token, id -> id, null);
  }

  private static Row refused(String name, Function<String, String> token, String reason) {
    return new Row(name, token, id -> id, reason);
  }

  @TestHTTPResource("/")
  URI gateway;

  private final List<String> authLog = new CopyOnWriteArrayList<>();
  private final Handler authLogHandler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          authLog.add(
              record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void recordAuthLog() {
    Logger.getLogger("io.realtimegateway.auth").addHandler(authLogHandler);
  }

  @AfterEach
  void stopRecording() {
    Logger.getLogger("io.realtimegateway.auth").removeHandler(authLogHandler);
  }

  @ParameterizedTest(name = "{0} via {1}")
  @MethodSource("tokens")
  void badTokenNeverJoinsTheSessionPoolNorTheUserRoom(Row row, Path path) throws Exception {
    String userId = "hostile-" + UUID.randomUUID();
    String token = row.token().apply(userId);
    String room = "user:" + row.userRoomOf().apply(userId);
    try (BrowserTab tab =
        BrowserTab.open(gateway, path == Path.CONNECT ? token : null, "/", false)) {
      if (path == Path.USER_JOIN) {
        Object[] ack = tab.userJoin(token);
        if (row.reason() == null) {
          assertThat(ack).hasSize(1);
        } else {
          assertThat(ack).isEmpty();
        }
      }
      // A heartbeat round trip: the server handled everything the tab sent before it.
      CompletableFuture<Object[]> heartbeat = new CompletableFuture<>();
      tab.socket().emit("heartbeat", new Object[] {new JSONObject()}, (Ack) heartbeat::complete);
      heartbeat.get(10, TimeUnit.SECONDS);

      if (row.reason() == null) {
        await().atMost(Duration.ofSeconds(10)).until(() -> allSessionIds().contains(tab.sid()));
      } else {
        assertThat(allSessionIds()).doesNotContain(tab.sid());
      }
      // In order: the user-room emit reaches the tab before the direct one, or never.
      GatewayApi.emit(Map.of("event", "events", "room", room, "data", "user-room")).statusCode(202);
      GatewayApi.emit(Map.of("event", "events", "to", tab.sid(), "data", "direct")).statusCode(202);
      await().atMost(Duration.ofSeconds(10)).until(() -> tab.events().contains("direct"));
      if (row.reason() == null) {
        assertThat(tab.events()).containsExactly("user-room", "direct");
        assertThat(authLog).noneMatch(line -> line.contains("refused"));
      } else {
        assertThat(tab.events()).containsExactly("direct");
        assertThat(allSessionIds()).doesNotContain(tab.sid());
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(authLog)
                        .anyMatch(line -> line.contains("refused") && line.contains(row.reason())));
      }
      assertThat(tab.socket().connected()).isTrue();
    }
  }

  /** Every sid of the session pool, whatever its user. */
  private static List<String> allSessionIds() {
    return given()
        .get("/internal/v1/sessions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("sessions.sid", String.class);
  }
}
