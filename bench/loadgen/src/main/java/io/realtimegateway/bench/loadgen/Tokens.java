package io.realtimegateway.bench.loadgen;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Open WebUI-shaped session tokens: HS256 with claims id, name, iat, exp and jti. */
final class Tokens {

  private final Algorithm algorithm;

  Tokens(String secret) {
    this.algorithm = Algorithm.HMAC256(secret);
  }

  String mint(String userId, Duration ttl) {
    Instant now = Instant.now();
    return JWT.create()
        .withClaim("id", userId)
        .withClaim("name", "Bench " + userId)
        .withIssuedAt(now)
        .withExpiresAt(now.plus(ttl))
        .withJWTId(UUID.randomUUID().toString())
        .sign(algorithm);
  }
}
