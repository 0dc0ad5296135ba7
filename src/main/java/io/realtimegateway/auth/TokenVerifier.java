package io.realtimegateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.realtimegateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Verifies Open WebUI's HS256 JWTs with {@code WEBUI_SECRET_KEY}. Created at start-up, so a missing
 * secret is reported then.
 */
@Startup
@ApplicationScoped
public class TokenVerifier {

  private final JWTVerifier verifier;
  private final ObjectMapper json;

  public TokenVerifier(GatewayConfig config, ObjectMapper json) {
    this.json = json;
    String secret =
        config.auth().secretKey().filter(key -> !key.isBlank()).orElseGet(TokenVerifier::generate);
    this.verifier = JWT.require(Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8))).build();
  }

  /** The token's claims when its signature and expiry are valid and it names a user id. */
  public Optional<VerifiedToken> verify(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (JWTVerificationException e) {
      Log.debugf("token refused: %s", e.getMessage());
      return Optional.empty();
    }
    String userId = jwt.getClaim("id").asString();
    if (userId == null || userId.isEmpty()) {
      Log.debug("token refused: no id claim");
      return Optional.empty();
    }
    ObjectNode claims = json.createObjectNode();
    jwt.getClaims()
        .forEach((name, claim) -> claims.set(name, json.valueToTree(claim.as(Object.class))));
    return Optional.of(
        new VerifiedToken(token, userId, jwt.getId(), jwt.getIssuedAtAsInstant(), claims));
  }

  private static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Log.warn(
        "WEBUI_SECRET_KEY is not set: generated a random secret for this process. Tokens issued"
            + " by Open WebUI will not verify; set the same WEBUI_SECRET_KEY as Open WebUI.");
    return Base64.getEncoder().encodeToString(bytes);
  }
}
