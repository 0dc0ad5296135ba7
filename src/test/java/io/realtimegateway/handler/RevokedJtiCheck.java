package io.realtimegateway.handler;

import io.realtimegateway.auth.RevocationCheck;
import io.realtimegateway.auth.VerifiedToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * Open WebUI's revocation marks without Redis: a token whose {@code jti} starts with {@link
 * #REVOKED} is revoked. Enabled only by {@link HostileTokenTest}'s profile; the Redis
 * implementation itself is covered by {@code ScaleOutIT.tokensRevokedInOpenWebUiAreRefused}.
 */
@Alternative
@ApplicationScoped
public class RevokedJtiCheck implements RevocationCheck {

  static final String REVOKED = "revoked-";

  @Override
  public Uni<Boolean> isRevoked(VerifiedToken token) {
    return Uni.createFrom().item(token.jti() != null && token.jti().startsWith(REVOKED));
  }
}
