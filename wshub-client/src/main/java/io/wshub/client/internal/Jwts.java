package io.wshub.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Base64;

/** Reads a JWT's {@code exp} without verifying it: the client only needs to know when to refresh. */
final class Jwts {
    private Jwts() {}

    /** The {@code exp} of {@code token}, or null when it is not a JWT or has no numeric exp. */
    static Instant expiry(ObjectMapper mapper, String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.", 3);
        if (parts.length < 3) {
            return null;
        }
        try {
            JsonNode exp = mapper.readTree(Base64.getUrlDecoder().decode(parts[1])).path("exp");
            return exp.isNumber() ? Instant.ofEpochSecond(exp.asLong()) : null;
        } catch (Exception e) { // not base64url, not JSON: an opaque token
            return null;
        }
    }
}
