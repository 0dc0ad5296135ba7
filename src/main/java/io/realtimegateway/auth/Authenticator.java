package io.realtimegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a token into a user, as Open WebUI's {@code get_verified_user_by_token}: the JWT must
 * verify, then the profile comes from the backend when one is configured, else from the token's
 * claims; a token Open WebUI revoked is refused. Only roles {@code user} and {@code admin} are
 * accepted ({@code pending} is refused).
 */
@ApplicationScoped
public class Authenticator {

  private static final Set<String> ACCEPTED_ROLES = Set.of("user", "admin");

  private final TokenVerifier verifier;
  private final OpenWebUiClient backend;
  private final RevocationCheck revocations;

  public Authenticator(
      TokenVerifier verifier, OpenWebUiClient backend, RevocationCheck revocations) {
    this.verifier = verifier;
    this.backend = backend;
    this.revocations = revocations;
  }

  /** The user of a token; empty for a missing, invalid, expired or refused token. */
  public Uni<Optional<UserProfile>> authenticate(String token) {
    Optional<VerifiedToken> verified = verifier.verify(token);
    if (verified.isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    VerifiedToken jwt = verified.get();
    return revocations
        .isRevoked(jwt)
        .chain(
            revoked -> {
              if (revoked) {
                Log.debugf("token %s of user %s is revoked", jwt.jti(), jwt.userId());
                return Uni.createFrom().item(Optional.<UserProfile>empty());
              }
              Uni<Optional<JsonNode>> record =
                  backend.isConfigured()
                      ? backend.currentUser(jwt.raw())
                      : Uni.createFrom().item(Optional.of(jwt.claims()));
              return record.map(found -> found.flatMap(user -> toProfile(jwt, user)));
            });
  }

  private static Optional<UserProfile> toProfile(VerifiedToken jwt, JsonNode user) {
    if (!user.isObject()) {
      return Optional.empty();
    }
    String id = user.path("id").asText("");
    if (!jwt.userId().equals(id)) {
      Log.debugf("token of %s resolved to another user %s, refused", jwt.userId(), id);
      return Optional.empty();
    }
    String role = user.path("role").asText("user");
    if (!ACCEPTED_ROLES.contains(role)) {
      Log.debugf("user %s has role %s, refused", id, role);
      return Optional.empty();
    }
    ObjectNode record = ((ObjectNode) user).deepCopy();
    // Claims and backend answers carry fields that have no place in the session pool.
    record.remove(Set.of("exp", "iat", "jti", "typ", "token", "token_type", "expires_at"));
    record.remove(Set.of("profile_image_url", "permissions"));
    record.put("id", id);
    record.put("role", role);
    String name = user.path("name").asText(id);
    record.put("name", name);
    return Optional.of(new UserProfile(id, name, role, record));
  }
}
