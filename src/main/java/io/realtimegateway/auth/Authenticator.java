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

  private static final Optional<String> NO_REFUSAL = Optional.empty();

  private final TokenVerifier verifier;
  private final OpenWebUiClient backend;
  private final RevocationCheck revocations;

  public Authenticator(
      TokenVerifier verifier, OpenWebUiClient backend, RevocationCheck revocations) {
    this.verifier = verifier;
    this.backend = backend;
    this.revocations = revocations;
  }

  /**
   * The user of a token; empty for a missing, invalid, expired, revoked or refused token, and when
   * the revocation store or the backend cannot answer (refused, not let in unchecked). Every
   * refusal is logged at debug level with its reason.
   */
  public Uni<Optional<UserProfile>> authenticate(String token) {
    Optional<VerifiedToken> verified = verifier.verify(token);
    if (verified.isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    VerifiedToken jwt = verified.get();
    return revocations
        .isRevoked(jwt)
        .map(revoked -> revoked ? Optional.of("revoked (jti " + jwt.jti() + ")") : NO_REFUSAL)
        .onFailure()
        .recoverWithItem(
            failure -> {
              // Refused rather than let in unchecked; Redis being down is worth a warning.
              Log.warnf(
                  "revocation of user %s's token could not be checked: %s", jwt.userId(), failure);
              return Optional.of("revocation could not be checked");
            })
        .chain(
            refusal -> {
              if (refusal.isPresent()) {
                logRefusal(jwt, refusal.get());
                return Uni.createFrom().item(Optional.<UserProfile>empty());
              }
              return userRecord(jwt).map(found -> found.flatMap(user -> toProfile(jwt, user)));
            });
  }

  /** The backend's user for the token, or the token's claims when no backend is configured. */
  private Uni<Optional<JsonNode>> userRecord(VerifiedToken jwt) {
    if (!backend.isConfigured()) {
      return Uni.createFrom().item(Optional.of(jwt.claims()));
    }
    return backend
        .currentUser(jwt.raw())
        .map(
            found -> {
              if (found.isEmpty()) {
                logRefusal(jwt, "the Open WebUI backend refused it");
              }
              return found;
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              logRefusal(jwt, "no answer from the Open WebUI backend: " + failure.getMessage());
              return Optional.<JsonNode>empty();
            });
  }

  private static void logRefusal(VerifiedToken jwt, String reason) {
    Log.debugf("token of user %s refused: %s", jwt.userId(), reason);
  }

  private static Optional<UserProfile> toProfile(VerifiedToken jwt, JsonNode user) {
    if (!user.isObject()) {
      logRefusal(jwt, "the user record is not a JSON object");
      return Optional.empty();
    }
    String id = user.path("id").asText("");
    if (!jwt.userId().equals(id)) {
      logRefusal(jwt, "it resolved to another user " + id);
      return Optional.empty();
    }
    String role = user.path("role").asText("user");
    if (!ACCEPTED_ROLES.contains(role)) {
      logRefusal(jwt, "role " + role);
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
