package io.realtimegateway.auth.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.realtimegateway.auth.RevocationCheck;
import io.realtimegateway.auth.VerifiedToken;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/**
 * Open WebUI's revocation marks: {@code {prefix}:auth:token:{jti}:revoked} exists, or {@code
 * {prefix}:auth:user:{id}:revoked_at} is at or after the token's {@code iat} (or the token has no
 * {@code iat}).
 */
@Singleton
@Typed(RedisRevocationCheck.class)
public final class RedisRevocationCheck implements RevocationCheck {

  private final ReactiveKeyCommands<String> keyCommands;
  private final ReactiveValueCommands<String, String> values;
  private final RedisKeys keys;

  public RedisRevocationCheck(@SharedRedis ReactiveRedisDataSource redis, GatewayConfig config) {
    this.keyCommands = redis.key();
    this.values = redis.value(String.class);
    this.keys = new RedisKeys(config.cluster().keyPrefix());
  }

  /** Both marks are read at once: one round trip to Redis, not two, on every connect and stop. */
  @Override
  public Uni<Boolean> isRevoked(VerifiedToken token) {
    Uni<Boolean> tokenRevoked =
        token.jti() == null
            ? Uni.createFrom().item(false)
            : keyCommands.exists(keys.revokedToken(token.jti()));
    Uni<Boolean> userRevoked =
        values
            .get(keys.userRevokedAt(token.userId()))
            .map(revokedAt -> revokedAt != null && revokedBefore(token, revokedAt));
    return Uni.combine()
        .all()
        .unis(tokenRevoked, userRevoked)
        .with((byToken, byUser) -> byToken || byUser);
  }

  private static boolean revokedBefore(VerifiedToken token, String revokedAt) {
    if (token.issuedAt() == null) {
      return true;
    }
    try {
      return token.issuedAt().getEpochSecond() <= (long) Double.parseDouble(revokedAt.trim());
    } catch (NumberFormatException e) {
      // An unreadable revocation time is still a revocation.
      return true;
    }
  }
}
