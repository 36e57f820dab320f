package io.wshub.auth;

import java.time.Instant;
import java.util.Map;

/**
 * Who a valid token names.
 *
 * @param userId    the user id claim
 * @param expiresAt the {@code exp} claim, or null when the token does not expire
 * @param claims    every claim of the token (JSON values as Java maps, lists, strings and
 *                  numbers), for join policies and the connect proxy; empty when unknown
 */
public record Identity(String userId, Instant expiresAt, Map<String, Object> claims) {
    public Identity {
        claims = claims == null ? Map.of() : claims;
    }

    public Identity(String userId, Instant expiresAt) {
        this(userId, expiresAt, Map.of());
    }
}
