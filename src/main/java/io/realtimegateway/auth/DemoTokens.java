package io.realtimegateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Signs the short-lived tokens of the demo page's users, as Open WebUI's {@code create_token} does
 * (HS256 with the gateway's secret; {@code id}, {@code exp}, {@code jti}) plus the {@code name} and
 * {@code role} the gateway reads when it has no Open WebUI backend. Only the demo mode's endpoint
 * calls it.
 */
@ApplicationScoped
public class DemoTokens {

  /** How long a demo token is valid. */
  public static final Duration LIFETIME = Duration.ofMinutes(15);

  private final Algorithm algorithm;

  public DemoTokens(TokenSecret secret) {
    this.algorithm = Algorithm.HMAC256(secret.bytes());
  }

  /** A signed token of a demo user. */
  public IssuedToken issue(String userId, String name) {
    Instant now = Instant.now();
    Instant expiresAt = now.plus(LIFETIME);
    String token =
        JWT.create()
            .withClaim("id", userId)
            .withClaim("name", name)
            .withClaim("role", "user")
            .withIssuedAt(now)
            .withExpiresAt(expiresAt)
            .withJWTId(UUID.randomUUID().toString())
            .sign(algorithm);
    return new IssuedToken(token, expiresAt);
  }

  /**
   * A token and when it expires.
   *
   * @param token the JWT
   * @param expiresAt its {@code exp}
   */
  public record IssuedToken(String token, Instant expiresAt) {}
}
