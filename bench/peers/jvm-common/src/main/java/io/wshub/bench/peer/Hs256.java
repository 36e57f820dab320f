package io.wshub.bench.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 token check used by the JVM peers: signature, exp, and the user id from sub (or id).
 * Deliberately tiny (no JSON library) so the peers pay only for what the bench protocol asks.
 */
public final class Hs256 {
    private static final Pattern SUB = Pattern.compile("\"(?:sub|id)\"\\s*:\\s*\"?([^\",}]+)");
    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private final SecretKeySpec key;

    public Hs256(String secret) {
        key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The user id, or null when the token is missing, forged or expired. */
    public String verify(String token) {
        if (token == null) {
            return null;
        }
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first < 0 || second < 0) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] expected = mac.doFinal(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
            byte[] given = Base64.getUrlDecoder().decode(token.substring(second + 1));
            if (!MessageDigest.isEqual(expected, given)) {
                return null;
            }
            String claims = new String(Base64.getUrlDecoder().decode(token.substring(first + 1, second)),
                    StandardCharsets.UTF_8);
            Matcher exp = EXP.matcher(claims);
            if (exp.find() && Long.parseLong(exp.group(1)) < System.currentTimeMillis() / 1000) {
                return null;
            }
            Matcher sub = SUB.matcher(claims);
            return sub.find() ? sub.group(1) : null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The value of {@code name} in a raw query string, undecoded (JWTs need no decoding). */
    public static String queryParam(String uriOrQuery, String name) {
        int q = uriOrQuery.indexOf('?');
        String query = q >= 0 ? uriOrQuery.substring(q + 1) : uriOrQuery;
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }
}
