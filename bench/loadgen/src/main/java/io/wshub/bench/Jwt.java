package io.wshub.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints the HS256 tokens every bench connection presents in {@code ?token=}. */
final class Jwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    /** A day: long enough for any bench run, short enough to be a realistic token. */
    private static final long LIFETIME_SECONDS = 86_400;

    private final Mac mac;

    Jwt(String secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String userId) {
        long exp = System.currentTimeMillis() / 1000 + LIFETIME_SECONDS;
        String claims = B64.encodeToString(("{\"sub\":\"" + userId + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        String signingInput = HEADER + "." + claims;
        byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(signature);
    }
}
