package io.wshub.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The keys accepted by the HTTP API (docs/protocol.md §4): a request names one in {@code X-API-Key: k} or
 * {@code Authorization: apikey k}. With no keys configured every request is refused.
 *
 * <p>Keys are kept and compared as SHA-256 digests with {@link MessageDigest#isEqual}, and
 * every key is compared on every check, so the time taken tells nothing about how much of a
 * guess was right, nor about which key or how long the keys are. Immutable and thread-safe.
 */
public final class ApiKeys {
    static final String HEADER = "X-API-Key";
    static final String SCHEME = "apikey ";

    private final List<byte[]> digests;

    public ApiKeys(List<String> keys) {
        this.digests = keys.stream().filter(k -> k != null && !k.isEmpty()).map(ApiKeys::sha256).toList();
    }

    /**
     * Checks the request's key.
     *
     * @throws HttpException 401 when the key is missing or not one of ours
     */
    public void check(HttpCall call) {
        String key = keyOf(call);
        if (key == null) {
            throw new HttpException(401, "missing API key: send " + HEADER + ": <key> or Authorization: apikey <key>");
        }
        if (!accepts(key)) {
            throw new HttpException(401, "invalid API key");
        }
    }

    /** True when {@code key} is one of the configured keys. */
    public boolean accepts(String key) {
        byte[] candidate = sha256(key);
        boolean found = false;
        for (byte[] digest : digests) {
            found |= MessageDigest.isEqual(digest, candidate); // no early exit: same time for every key
        }
        return found;
    }

    /** The key a request carries, or null. */
    static String keyOf(HttpCall call) {
        String header = call.header(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = call.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            String key = authorization.substring(SCHEME.length()).strip();
            return key.isEmpty() ? null : key;
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) { // every JVM has SHA-256
            throw new IllegalStateException(e);
        }
    }
}
