package io.realtimegateway.auth;

import io.smallrye.mutiny.Uni;

/** Whether Open WebUI revoked a token (sign-out, back-channel logout). */
public interface RevocationCheck {

  Uni<Boolean> isRevoked(VerifiedToken token);

  /** Without Redis there is nowhere Open WebUI could have recorded a revocation. */
  RevocationCheck NONE = token -> Uni.createFrom().item(false);
}
