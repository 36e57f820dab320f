package io.wshub.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
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
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * JWT verification with nimbus-jose-jwt (docs/protocol.md §2): HS256/384/512 with a shared secret,
 * RS/PS/ES with a PEM public key, or keys from a JWKS URL. Signature, {@code exp} and
 * {@code nbf} are enforced ({@code alg: none} never passes). The user id comes from a
 * configurable claim, default {@code sub}, falling back to {@code id} as HotGo's tokens use.
 *
 * <p>Thread-safe; one instance serves every connection.
 */
public final class JwtAuth implements Authenticator {
    /** Default tolerated clock difference between the token issuer and this server. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> PUBLIC_KEY = union(JWSAlgorithm.Family.RSA, JWSAlgorithm.Family.EC);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final boolean remoteKeys;
    private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(null, null);
    private volatile String userIdClaim = "sub";
    private volatile boolean requireExp;

    private JwtAuth(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys, boolean remoteKeys) {
        this.remoteKeys = remoteKeys;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        claimsVerifier.setMaxClockSkew((int) DEFAULT_CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claimsVerifier);
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

    /**
     * Refuse tokens without an {@code exp} claim (default false: HotGo's tokens carry none).
     * Set before the hub starts.
     */
    public JwtAuth requireExp(boolean require) {
        this.requireExp = require;
        return this;
    }

    /**
     * How far {@code exp} and {@code nbf} may be off because the issuer's clock differs from
     * this server's: 0 to 1 hour in whole seconds (default 5 s). Set before the hub starts.
     */
    public JwtAuth clockSkew(Duration skew) {
        if (skew.isNegative() || skew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 1 hour: " + skew);
        }
        claimsVerifier.setMaxClockSkew((int) skew.toSeconds());
        return this;
    }

    @Override
    public boolean mayBlock() {
        return remoteKeys;
    }

    /**
     * Verifies {@code token}. The messages of the {@link AuthException}s are ours, short and
     * stable (they reach clients in 401 answers): {@code token expired}, {@code token not yet
     * valid}, {@code token has no exp}, {@code malformed token}, {@code invalid token},
     * {@code token names no user}, {@code user id claim must be a string or an integer}.
     */
    @Override
    public Identity verify(String token) throws AuthException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new AuthException(why.contains("expired") ? "token expired" : why.contains("before") ? "token not yet valid" : "invalid token");
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        } catch (KeySourceException e) {
            // The JWKS endpoint failed: the server's trouble, not the token's (500, one WARN per episode).
            throw new IllegalStateException("JWKS unavailable: " + e.getMessage(), e);
        } catch (Exception e) { // BadJOSEException, JOSEException: bad signature, algorithm, or key
            throw new AuthException("invalid token");
        }
        Object user = claims.getClaim(userIdClaim);
        if (user == null) {
            user = claims.getClaim("id");
        }
        if (user == null || (user instanceof String s && s.isEmpty())) {
            throw new AuthException("token names no user");
        }
        if (!(user instanceof String || user instanceof Integer || user instanceof Long)) {
            throw new AuthException("user id claim must be a string or an integer");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null && requireExp) {
            throw new AuthException("token has no exp");
        }
        return new Identity(user.toString(), exp == null ? null : exp.toInstant(), claims.toJSONObject());
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
