package io.realtimegateway.auth;

import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HS256 secret of Open WebUI's tokens: {@code WEBUI_SECRET_KEY}, or one generated for this
 * process when it is unset. One instance, so the demo tokens the gateway signs (dev mode without a
 * secret) verify with the secret the verifier checks.
 */
@Singleton
public class TokenSecret {

  private final byte[] secret;

  public TokenSecret(GatewayConfig config) {
    this.secret =
        config
            .auth()
            .secretKey()
            .filter(key -> !key.isBlank())
            .orElseGet(TokenSecret::generate)
            .getBytes(StandardCharsets.UTF_8);
  }

  /** The secret's bytes (a copy). */
  byte[] bytes() {
    return secret.clone();
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
