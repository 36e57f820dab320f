package io.wshub.spring;

import io.wshub.auth.AuthException;
import io.wshub.auth.Authenticator;
import io.wshub.auth.Identity;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies WebSocket tokens with the application's Spring Security {@link JwtDecoder}, so the
 * hub accepts exactly the tokens the REST API accepts (same issuer, keys, validators).
 * The user id is the configured claim (default {@code sub}), falling back to {@code id}.
 * A decoder may fetch keys over the network, so the hub calls it on its worker pool.
 */
public final class JwtDecoderAuthenticator implements Authenticator {
    private final JwtDecoder decoder;
    private final String userIdClaim;

    public JwtDecoderAuthenticator(JwtDecoder decoder, String userIdClaim) {
        this.decoder = decoder;
        this.userIdClaim = userIdClaim == null ? "sub" : userIdClaim;
    }

    @Override
    public Identity verify(String token) throws AuthException {
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtValidationException e) {
            boolean expired = e.getErrors().stream().anyMatch(err -> String.valueOf(err.getDescription()).contains("expired"));
            throw new AuthException(expired ? "token expired" : "invalid token: " + e.getMessage());
        } catch (JwtException e) {
            throw new AuthException("invalid token: " + e.getMessage());
        }
        Object user = jwt.getClaims().get(userIdClaim);
        if (user == null) {
            user = jwt.getClaims().get("id");
        }
        if (user == null || user.toString().isEmpty()) {
            throw new AuthException("token names no user ('" + userIdClaim + "' claim missing)");
        }
        return new Identity(user.toString(), jwt.getExpiresAt());
    }

    @Override
    public boolean mayBlock() {
        return true;
    }
}
