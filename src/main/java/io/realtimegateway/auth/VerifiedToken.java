package io.realtimegateway.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A JWT whose HS256 signature and expiry have been checked.
 *
 * @param raw the token as the client sent it, forwarded to the Open WebUI backend
 * @param userId the {@code id} claim
 * @param jti the {@code jti} claim, {@code null} when absent
 * @param issuedAt the {@code iat} claim, {@code null} when absent
 * @param claims every claim, for the profile built from claims
 */
public record VerifiedToken(
    String raw, String userId, String jti, Instant issuedAt, ObjectNode claims) {}
