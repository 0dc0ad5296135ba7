package io.realtimegateway.support;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Mints tokens the way Open WebUI's {@code create_token} does (HS256, id / exp / iat / jti), and
 * the hostile variants a client could send instead.
 */
public final class Tokens {

  /** The secret of the test profile ({@code %test.gateway.auth.secret-key}). */
  public static final String SECRET = "test-secret";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

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

  /** Issued an hour from now ({@code iat} in the future). */
  public static String issuedInTheFuture(String userId) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(2)))
        .withIssuedAt(Instant.now().plus(Duration.ofHours(1)))
        .sign(Algorithm.HMAC256(SECRET));
  }

  /** {@code alg: none}, no signature. */
  public static String unsigned(String userId) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(1))).sign(Algorithm.none());
  }

  /** RS256, signed with a fresh RSA key. */
  public static String rs256(String userId) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      return builder(userId, userId, Instant.now().plus(Duration.ofHours(1)))
          .sign(
              Algorithm.RSA256((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HS512 with the right secret: right key, wrong algorithm. */
  public static String hs512(String userId) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(1)))
        .sign(Algorithm.HMAC512(SECRET));
  }

  /**
   * A header naming {@code alg} over a valid payload, signed HS256 with the right secret: only a
   * verifier that trusts the header's algorithm would get it wrong.
   */
  public static String withHeaderAlgorithm(String alg, String userId) {
    return signed("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", payload("\"" + userId + "\""));
  }

  /** A valid token whose payload was swapped for another user's after signing. */
  public static String withSwappedPayload(String userId) {
    String[] parts = valid("someone-else", "S").split("\\.");
    return parts[0] + "." + encode(payload("\"" + userId + "\"")) + "." + parts[2];
  }

  /**
   * Signed HS256 with the secret; {@code idJson} is the raw JSON of the id claim, null for none.
   */
  public static String withIdJson(String idJson) {
    return signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload(idJson));
  }

  /** Signed HS256 with the secret, with an {@code exp} that is a string. */
  public static String withTextExpiry(String userId) {
    return signed(
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"id\":\"" + userId + "\",\"exp\":\"tomorrow\"}");
  }

  /** A valid token carrying a claim of {@code padding} characters. */
  public static String padded(String userId, int padding) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(1)))
        .withClaim("padding", "x".repeat(padding))
        .sign(Algorithm.HMAC256(SECRET));
  }

  /** A valid token that also carries a claim with this name. */
  public static String withClaimName(String userId, String claimName) {
    return builder(userId, userId, Instant.now().plus(Duration.ofHours(1)))
        .withClaim(claimName, 1)
        .sign(Algorithm.HMAC256(SECRET));
  }

  /** Three base64url parts of arbitrary text, the last one not a signature of anything. */
  public static String parts(String header, String payload) {
    return encode(header) + "." + encode(payload) + ".c2lnbmF0dXJl";
  }

  private static String signed(String header, String payload) {
    byte[] headerPart = encode(header).getBytes(StandardCharsets.US_ASCII);
    byte[] payloadPart = encode(payload).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = Algorithm.HMAC256(SECRET).sign(headerPart, payloadPart);
    return new String(headerPart, StandardCharsets.US_ASCII)
        + "."
        + new String(payloadPart, StandardCharsets.US_ASCII)
        + "."
        + BASE64URL.encodeToString(signature);
  }

  private static String payload(String idJson) {
    long now = Instant.now().getEpochSecond();
    return "{"
        + (idJson == null ? "" : "\"id\":" + idJson + ",")
        + "\"name\":\"N\",\"iat\":"
        + (now - 1)
        + ",\"exp\":"
        + (now + 3600)
        + ",\"jti\":\""
        + UUID.randomUUID()
        + "\"}";
  }

  private static String encode(String text) {
    return BASE64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
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
