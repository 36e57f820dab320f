package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.auth.HmacTokens;
import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md §2: at exp the server closes with 4001 unless the client refreshed its token. */
class TokenExpiryTest {
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> {});
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static TestClient connect(String user, Duration ttl) {
        URI uri = URI.create("ws://127.0.0.1:" + hub.port() + "/ws?token=" + HmacTokens.issue(TestHub.SECRET, user, ttl));
        TestClient c = TestClient.connect(uri);
        c.connectedId();
        return c;
    }

    @Test
    void closesWith4001AtExpiry() {
        try (TestClient c = connect("exp", Duration.ofSeconds(2))) {
            assertThat(c.awaitClose(10)).isEqualTo(Protocol.CLOSE_TOKEN_EXPIRED);
        }
    }

    @Test
    void refreshForTheSameUserMovesTheExpiry() {
        try (TestClient c = connect("ref", Duration.ofSeconds(2))) {
            JsonNode ok = c.request("refresh", Map.of("token", HmacTokens.issue(TestHub.SECRET, "ref", Duration.ofHours(1))));
            assertThat(ok.path("code").asInt()).isZero();
            assertThat(ok.path("data").path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis() / 1000 + 3000);
            c.assertNoMessage(3000); // past the first token's expiry, still open
            assertThat(c.isClosed()).isFalse();
            assertThat(c.request("ping", null).path("code").asInt()).isZero();
        }
    }

    @Test
    void refreshForAnotherUserOrWithABadTokenIsRefused() {
        try (TestClient c = connect("me", Duration.ofHours(1))) {
            assertThat(c.request("refresh", Map.of("token", TestHub.token("someone-else"))).path("code").asInt()).isEqualTo(403);
            assertThat(c.request("refresh", Map.of("token", "garbage")).path("code").asInt()).isEqualTo(401);
            assertThat(c.request("refresh", Map.of()).path("code").asInt()).isEqualTo(400);
        }
    }
}
