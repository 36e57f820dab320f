package io.wshub.proxy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The signature every request to a backend carries (proxies and webhooks alike,
 * docs/backend.md "Signatures"): {@code X-Wshub-Timestamp} = Unix seconds, {@code
 * X-Wshub-Signature} = {@code sha256=} + hex HMAC-SHA256 of {@code timestamp + "." + body}
 * under the shared secret. The timestamp inside the MAC lets a backend refuse replays older
 * than a few minutes. Thread-safe.
 */
public final class Signer {
    public static final String TIMESTAMP_HEADER = "X-Wshub-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Wshub-Signature";
    private static final String PREFIX = "sha256=";

    private final SecretKeySpec key;

    /** @param secret the shared secret; null or empty signs nothing */
    public Signer(String secret) {
        this.key = secret == null || secret.isEmpty() ? null
                : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public boolean enabled() {
        return key != null;
    }

    /** The signature header value for {@code body} sent at {@code timestamp}. */
    public String sign(long timestamp, byte[] body) {
        if (key == null) {
            throw new IllegalStateException("no secret configured");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** What a backend does: recompute and compare in constant time. */
    public boolean verify(long timestamp, byte[] body, String signature) {
        return signature != null && MessageDigest.isEqual(
                sign(timestamp, body).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }
}
