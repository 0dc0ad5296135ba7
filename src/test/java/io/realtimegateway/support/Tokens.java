package io.realtimegateway.support;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Mints tokens the way Open WebUI's {@code create_token} does (HS256, id / exp / iat / jti). */
public final class Tokens {

  /** The secret of the test profile ({@code %test.gateway.auth.secret-key}). */
  public static final String SECRET = "test-secret";

  private Tokens() {}

  public static String valid(String userId, String name) {
    return builder(userId, name, Instant.now().plus(Duration.ofHours(1)))
        .sign(Algorithm.HMAC256(SECRET));
  }

  public static String withRole(String userId, String name, String role) {
    return builder(userId, name, Instant.now().plus(Duration.ofHours(1)))
        .withClaim("role", role)
        .sign(Algorithm.HMAC256(SECRET));
  }

  public static String withJti(String userId, String jti) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(1)))
        .withJWTId(jti)
        .sign(Algorithm.HMAC256(SECRET));
  }

  public static String expired(String userId) {
    return builder(userId, userId, Instant.now().minus(Duration.ofMinutes(5)))
        .sign(Algorithm.HMAC256(SECRET));
  }

  public static String signedWithOtherSecret(String userId) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(1)))
        .sign(Algorithm.HMAC256("not-the-secret"));
  }

  private static com.auth0.jwt.JWTCreator.Builder builder(String userId, String name, Instant exp) {
    return JWT.create()
        .withClaim("id", userId)
        .withClaim("name", name)
        .withIssuedAt(Instant.now().minusSeconds(1))
        .withExpiresAt(exp)
        .withJWTId(UUID.randomUUID().toString());
  }
}
