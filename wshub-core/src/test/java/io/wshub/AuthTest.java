package io.wshub;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wshub.auth.AuthMode;
import io.wshub.auth.HmacTokens;
import io.wshub.auth.JwtAuth;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md §2: tokens from three places, every kind of bad token refused with 401 before the upgrade. */
class AuthTest {
    static WsHub required;

    @BeforeAll
    static void start() {
        required = TestHub.start(cfg -> cfg.authMode(AuthMode.REQUIRED).allowedOrigins(java.util.List.of("https://*.example.com")));
    }

    @AfterAll
    static void stop() {
        required.close();
    }

    private static RawUpgrade.Answer upgrade(String query, Map<String, String> headers) {
        return RawUpgrade.send(required.port(), "/ws" + query, headers);
    }

    private static String userOf(URI uri, Map<String, String> headers) {
        try (TestClient c = TestClient.connect(uri, headers)) {
            return c.next("connected").path("data").path("userId").asText();
        }
    }

    @Test
    void tokenIsReadFromHeaderThenAuthorizationQueryThenTokenQuery() {
        String base = "ws://127.0.0.1:" + required.port() + "/ws";
        assertThat(userOf(URI.create(base), Map.of("Authorization", "Bearer " + TestHub.token("h")))).isEqualTo("h");
        assertThat(userOf(URI.create(base + "?authorization=" + TestHub.token("a")), Map.of())).isEqualTo("a");
        assertThat(userOf(URI.create(base + "?authorization=Bearer%20" + TestHub.token("b")), Map.of())).isEqualTo("b");
        assertThat(userOf(URI.create(base + "?token=" + TestHub.token("t")), Map.of())).isEqualTo("t");
        assertThat(userOf(URI.create(base + "?token=" + TestHub.token("q")), Map.of("Authorization", "Bearer " + TestHub.token("wins"))))
                .isEqualTo("wins");
    }

    @Test
    void missingTokenInRequiredModeIs401WithJsonBody() {
        RawUpgrade.Answer answer = upgrade("", Map.of());
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"code\":401,\"message\":\"missing token\"}");
    }

    @Test
    void everyKindOfBadTokenIs401AndNoUpgrade() throws Exception {
        String good = TestHub.token("u1");
        String[] parts = good.split("\\.");
        String tamperedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"admin\",\"exp\":9999999999}".getBytes());
        String expired = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().subject("u1")
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build());
        String notYet = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().subject("u1")
                .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build());
        String wrongKey = HmacTokens.issue("another-secret-that-is-also-32-bytes-long", "u1", Duration.ofHours(1));
        String algNone = new PlainJWT(new JWTClaimsSet.Builder().subject("u1").build()).serialize();
        String noUser = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().claim("role", "x").build());
        Map<String, String> cases = Map.of(
                "wrong key", wrongKey,
                "expired", expired,
                "not yet valid", notYet,
                "alg none", algNone,
                "tampered", parts[0] + "." + tamperedPayload + "." + parts[2],
                "garbage", "not-a-jwt",
                "no user", noUser);
        for (var c : cases.entrySet()) {
            RawUpgrade.Answer answer = upgrade("?token=" + c.getValue(), Map.of());
            assertThat(answer.status()).as(c.getKey()).isEqualTo(401);
            assertThat(answer.body()).as(c.getKey()).startsWith("{\"code\":401,\"message\":\"");
        }
        assertThat(upgrade("?token=" + expired, Map.of()).body()).contains("expired");
    }

    @Test
    void hotgoTokensCarryTheUserInId() {
        String hotgo = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().claim("id", 1001)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        assertThat(userOf(URI.create("ws://127.0.0.1:" + required.port() + "/ws?authorization=" + hotgo), Map.of())).isEqualTo("1001");
    }

    @Test
    void originsOutsideTheAllowListAre403() {
        String token = "?token=" + TestHub.token("o");
        assertThat(upgrade(token, Map.of("Origin", "https://evil.test")).status()).isEqualTo(403);
        assertThat(upgrade(token, Map.of("Origin", "https://evil.test")).body()).contains("origin not allowed");
        assertThat(userOf(URI.create("ws://127.0.0.1:" + required.port() + "/ws" + token), Map.of("Origin", "https://app.example.com"))).isEqualTo("o");
        // Same origin: a page served by this host.
        assertThat(userOf(URI.create("ws://127.0.0.1:" + required.port() + "/ws" + token),
                Map.of("Origin", "http://127.0.0.1:" + required.port()))).isEqualTo("o");
    }

    @Test
    void rsaAndEcPublicKeysVerify() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("pk").expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT rs = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        rs.sign(new RSASSASigner(rsa));
        SignedJWT es = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        es.sign(new ECDSASigner(ec));
        assertThat(JwtAuth.publicKey(pem(rsa.toPublicKey())).verify(rs.serialize()).userId()).isEqualTo("pk");
        assertThat(JwtAuth.publicKey(pem(ec.toPublicKey())).verify(es.serialize()).userId()).isEqualTo("pk");
        // A token signed by another RSA key does not pass.
        RSAKey other = new RSAKeyGenerator(2048).generate();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JwtAuth.publicKey(pem(other.toPublicKey())).verify(rs.serialize()))
                .isInstanceOf(io.wshub.auth.AuthException.class);
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void shortSecretsAreRefusedAtConfigTime() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JwtAuth.hmac("short"))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void optionalModeAllowsAnonymousButNotBadTokensAndOffIgnoresTokens() {
        try (WsHub optional = TestHub.start(cfg -> cfg.authMode(AuthMode.OPTIONAL));
             WsHub off = TestHub.start(cfg -> cfg.authMode(AuthMode.OFF))) {
            try (TestClient anon = TestClient.connect(TestHub.ws(optional))) {
                assertThat(anon.next("connected").path("data").path("userId").isNull()).isTrue();
                anon.send("{\"event\":\"whoami\",\"seqno\":\"1\"}");
                assertThat(anon.next().path("code").asInt()).isEqualTo(404);
            }
            assertThat(RawUpgrade.send(optional.port(), "/ws?token=garbage", Map.of()).status()).isEqualTo(401);
            try (TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + off.port() + "/ws?token=garbage"))) {
                assertThat(c.next("connected").path("data").path("userId").isNull()).isTrue();
            }
        }
    }
}
