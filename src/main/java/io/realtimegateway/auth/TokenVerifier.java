package io.realtimegateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Verifies Open WebUI's HS256 JWTs with {@code WEBUI_SECRET_KEY}. Created at start-up, so a missing
 * secret is reported then. Every refusal is logged at debug level with its reason, never with the
 * token.
 */
@Startup
@ApplicationScoped
public class TokenVerifier {

  /**
   * Longest token looked at, in characters. Open WebUI's tokens are about 200 characters; this cap
   * keeps a hostile client from making the gateway decode and hash a large payload.
   */
  static final int MAX_TOKEN_LENGTH = 8 * 1024;

  /**
   * Longest JSON field name in a token's header or payload. java-jwt parses both before it checks
   * the signature, with a parser that keeps every field name it sees in a shared table (up to
   * 12,000 of them): unique long names from unsigned tokens would stay in memory. Open WebUI's
   * claim names are a few characters.
   */
  static final int MAX_FIELD_NAME_LENGTH = 64;

  /** Parses without keeping field names (see {@link #MAX_FIELD_NAME_LENGTH}). */
  private static final JsonFactory UNCACHED_NAMES =
      JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

  /** The only algorithm Open WebUI signs with ({@code ALGORITHM = "HS256"}). */
  private static final String ALGORITHM = "HS256";

  /** Longest piece of client input (an algorithm name, a claim name) copied into a log line. */
  private static final int MAX_LOGGED_LENGTH = 40;

  private final JWTVerifier verifier;
  private final ObjectMapper json;

  public TokenVerifier(TokenSecret secret, ObjectMapper json) {
    this.json = json;
    this.verifier = JWT.require(Algorithm.HMAC256(secret.bytes())).build();
  }

  /**
   * The token's claims when it is an HS256 JWT signed with the secret, not expired, and its {@code
   * id} claim is a non-empty string; empty otherwise.
   */
  public Optional<VerifiedToken> verify(String token) {
    if (token == null || token.isBlank()) {
      return refused("no token");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      return refused("token of " + token.length() + " characters, longer than " + MAX_TOKEN_LENGTH);
    }
    if (hasLongFieldName(token)) {
      return refused("a header or claim name longer than " + MAX_FIELD_NAME_LENGTH + " characters");
    }
    try {
      return accepted(token, verifier.verify(token));
    } catch (AlgorithmMismatchException e) {
      return refused("algorithm " + headerAlgorithm(token) + " is not " + ALGORITHM);
    } catch (SignatureVerificationException e) {
      return refused("signature does not verify with the secret");
    } catch (TokenExpiredException e) {
      return refused("expired at " + e.getExpiredOn());
    } catch (IncorrectClaimException e) {
      // e.g. an iat or nbf in the future
      return refused("invalid claim " + printable(e.getClaimName()));
    } catch (MissingClaimException e) {
      return refused("missing claim " + printable(e.getClaimName()));
    } catch (JWTDecodeException e) {
      // The message may quote the decoded header or payload: it is not logged.
      return refused("not a JWT (malformed header, payload or encoding)");
    } catch (JWTVerificationException | IllegalArgumentException e) {
      return refused("unreadable token (" + e.getClass().getSimpleName() + ")");
    }
  }

  private Optional<VerifiedToken> accepted(String token, DecodedJWT jwt) {
    Claim id = jwt.getClaim("id");
    if (id.isMissing() || id.isNull()) {
      return refused("no id claim");
    }
    String userId = id.asString();
    if (userId == null) {
      return refused("id claim is not a string");
    }
    if (userId.isEmpty()) {
      return refused("id claim is empty");
    }
    ObjectNode claims = json.createObjectNode();
    jwt.getClaims()
        .forEach((name, claim) -> claims.set(name, json.valueToTree(claim.as(Object.class))));
    return Optional.of(
        new VerifiedToken(token, userId, jwt.getId(), jwt.getIssuedAtAsInstant(), claims));
  }

  /**
   * Whether the header or payload holds a field name too long to hand to java-jwt. Anything else
   * unreadable is left to java-jwt, which refuses it with its reason.
   */
  private static boolean hasLongFieldName(String token) {
    String[] parts = token.split("\\.", 3);
    for (int part = 0; part < Math.min(2, parts.length); part++) {
      try (JsonParser parser =
          UNCACHED_NAMES.createParser(Base64.getUrlDecoder().decode(parts[part]))) {
        for (JsonToken next = parser.nextToken(); next != null; next = parser.nextToken()) {
          if (next == JsonToken.FIELD_NAME
              && parser.currentName().length() > MAX_FIELD_NAME_LENGTH) {
            return true;
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        return false;
      }
    }
    return false;
  }

  private static Optional<VerifiedToken> refused(String reason) {
    Log.debugf("token refused: %s", reason);
    return Optional.empty();
  }

  /** The header's {@code alg}, for the log only (the verifier never trusts it). */
  private static String headerAlgorithm(String token) {
    try {
      return printable(JWT.decode(token).getAlgorithm());
    } catch (JWTDecodeException e) {
      return "(unreadable)";
    }
  }

  /** Client input made safe for one log line: short, no control characters. */
  private static String printable(String text) {
    if (text == null) {
      return "(none)";
    }
    String shortened =
        text.length() > MAX_LOGGED_LENGTH ? text.substring(0, MAX_LOGGED_LENGTH) + "..." : text;
    return shortened.replaceAll("\\p{Cntrl}", "?");
  }
}
