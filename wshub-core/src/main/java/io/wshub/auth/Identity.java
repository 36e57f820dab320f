package io.wshub.auth;

import java.time.Instant;

/**
 * Who a valid token names.
 *
 * @param userId    the user id claim
 * @param expiresAt the {@code exp} claim, or null when the token does not expire
 */
public record Identity(String userId, Instant expiresAt) {}
