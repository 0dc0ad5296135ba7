package io.realtimegateway.fuzz;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The tokens fuzz frames carry, the same bytes in every run (fixed {@code iat}, {@code exp} and
 * {@code jti}), so a seed replays the same frames. With {@link
 * io.realtimegateway.support.FakeOpenWebUi} as the backend, {@code member-*} users belong to
 * channels {@code general} and {@code random} and {@code pending-*} users are refused.
 */
final class FuzzTokens {

  /** Users whose tokens verify and resolve; their {@code user:} rooms must be empty at the end. */
  static final List<String> USERS =
      List.of("member-fuzz-1", "member-fuzz-2", "plain-fuzz-3", "member-fuzz-odd");

  /** Rooms fuzz sockets can join. */
  static final List<String> ROOMS =
      List.of(
          "user:member-fuzz-1",
          "user:member-fuzz-2",
          "user:plain-fuzz-3",
          "user:member-fuzz-odd",
          "user:pending-fuzz-4",
          "channel:general",
          "channel:random",
          "note:shared-note");

  private static final Instant ISSUED = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant EXPIRES = Instant.parse("2099-01-01T00:00:00Z");

  final List<String> valid;
  final List<String> refused;

  FuzzTokens(String secret) {
    Algorithm hmac = Algorithm.HMAC256(secret);
    valid =
        List.of(
            user("member-fuzz-1").sign(hmac),
            user("member-fuzz-2").withClaim("name", "Zoë \u202e\ud83d\ude00").sign(hmac),
            user("plain-fuzz-3").withClaim("role", "admin").sign(hmac),
            // Odd but verifiable claims: a nested name, a large claim, a role the backend ignores.
            user("member-fuzz-odd")
                .withClaim("name", Map.of("first", List.of(1, 2, 3)))
                .withClaim("padding", "x".repeat(1024))
                .withClaim("role", "pending")
                .sign(hmac));
    refused =
        List.of(
            user("pending-fuzz-4").sign(hmac),
            JWT.create()
                .withClaim("id", "member-fuzz-1")
                .withIssuedAt(ISSUED)
                .withExpiresAt(Instant.parse("2020-01-01T00:00:00Z"))
                .sign(hmac),
            user("member-fuzz-1").sign(Algorithm.HMAC256("not-the-secret")),
            JWT.create().withClaim("id", "").withExpiresAt(EXPIRES).sign(hmac),
            JWT.create().withClaim("id", 42).withExpiresAt(EXPIRES).sign(hmac),
            JWT.create().withClaim("name", "no id").withExpiresAt(EXPIRES).sign(hmac),
            unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"id\":\"member-fuzz-1\"}"),
            unsigned("{\"alg\":\"HS256\"}", "not json"),
            "a.b.c",
            "Bearer " + user("member-fuzz-1").sign(hmac),
            "",
            " ",
            ".".repeat(3000));
  }

  private static JWTCreator.Builder user(String id) {
    return JWT.create()
        .withClaim("id", id)
        .withIssuedAt(ISSUED)
        .withExpiresAt(EXPIRES)
        .withJWTId("fuzz-" + id);
  }

  private static String unsigned(String header, String payload) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    return url.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".";
  }
}
