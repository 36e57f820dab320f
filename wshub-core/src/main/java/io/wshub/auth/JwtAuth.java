package io.wshub.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

/**
 * JWT verification with nimbus-jose-jwt (SPEC §2): HS256/384/512 with a shared secret,
 * RS/PS/ES with a PEM public key, or keys from a JWKS URL. Signature, {@code exp} and
 * {@code nbf} are enforced ({@code alg: none} never passes). The user id comes from a
 * configurable claim, default {@code sub}, falling back to {@code id} as HotGo's tokens use.
 *
 * <p>Thread-safe; one instance serves every connection.
 */
public final class JwtAuth implements Authenticator {
    /** Tolerated clock difference between the token issuer and this server. */
    private static final long CLOCK_SKEW_SECONDS = 5;
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> PUBLIC_KEY = union(JWSAlgorithm.Family.RSA, JWSAlgorithm.Family.EC);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final boolean remoteKeys;
    private String userIdClaim = "sub";

    private JwtAuth(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys, boolean remoteKeys) {
        this.remoteKeys = remoteKeys;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, null);
        claims.setMaxClockSkew((int) CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** HS256/384/512 with a shared secret of at least 32 bytes (RFC 7518 §3.2). */
    public static JwtAuth hmac(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalArgumentException("JWT secret must be at least 32 bytes (256 bits) for HS256");
        }
        return new JwtAuth(HMAC, new ImmutableSecret<>(key), false);
    }

    /** RS*, PS* or ES* with one PEM-encoded public key ({@code BEGIN PUBLIC KEY}) or X.509 certificate. */
    public static JwtAuth publicKey(String pem) {
        return new JwtAuth(PUBLIC_KEY, new ImmutableJWKSet<>(new JWKSet(PemKeys.parse(pem))), false);
    }

    /** Keys fetched (and cached, refreshed on unknown key ids) from a JWKS URL. */
    public static JwtAuth jwks(String url) {
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(url).toURL()).retrying(true).build();
            return new JwtAuth(PUBLIC_KEY, keys, true);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad JWKS URL '" + url + "'", e);
        }
    }

    /** The claim that holds the user id (default {@code sub}; {@code id} is always the fallback). */
    public JwtAuth userIdClaim(String claim) {
        this.userIdClaim = claim;
        return this;
    }

    @Override
    public boolean mayBlock() {
        return remoteKeys;
    }

    @Override
    public Identity verify(String token) throws AuthException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            String why = String.valueOf(e.getMessage());
            throw new AuthException(why.toLowerCase().contains("expired") ? "token expired" : "invalid token: " + why);
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        } catch (Exception e) { // BadJOSEException, JOSEException: bad signature, algorithm, or key
            throw new AuthException("invalid token: " + e.getMessage());
        }
        String user = claim(claims, userIdClaim);
        if (user == null) {
            user = claim(claims, "id");
        }
        if (user == null || user.isEmpty()) {
            throw new AuthException("token names no user ('" + userIdClaim + "' claim missing)");
        }
        Date exp = claims.getExpirationTime();
        return new Identity(user, exp == null ? null : exp.toInstant(), claims.toJSONObject());
    }

    private static String claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value == null ? null : value.toString();
    }

    private static Set<JWSAlgorithm> union(Set<JWSAlgorithm> a, Set<JWSAlgorithm> b) {
        Set<JWSAlgorithm> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
