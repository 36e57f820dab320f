package io.wshub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.auth.AuthMode;
import io.wshub.testing.TestBackend;
import io.wshub.testing.TestBackend.Answer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/backend.md "Connect proxy": the backend lets connections in (opaque tokens, initial tags) or refuses them before the upgrade. */
class ConnectProxyTest {
    static final TestBackend backend = new TestBackend();
    static WsHub hub;

    @BeforeAll
    static void start() {
        backend.on("/connect", req -> {
            JsonNode b = req.json();
            String token = b.path("token").asText();
            if (token.equals("opaque-alice")) {
                return Answer.json("{\"userId\":\"alice\",\"tags\":[\"room:1\",\"user:alice\"],\"meta\":{\"plan\":\"pro\"}}");
            }
            if (token.equals("logged-out")) {
                return Answer.json("{\"code\":401,\"message\":\"token revoked\"}");
            }
            if (!b.path("claims").isNull()) {
                return Answer.json("{\"tags\":[\"jwt:" + b.path("claims").path("sub").asText() + "\"]}");
            }
            return Answer.json("{\"code\":403,\"message\":\"banned\"}");
        });
        Backend client = new Backend("sig", 100, null);
        hub = TestHub.configure(cfg -> cfg.authMode(AuthMode.REQUIRED).connectGate(new ConnectProxy(
                URI.create(backend.url("/connect")), Duration.ofSeconds(2), List.of("X-Tenant"), client)));
        hub.on("whoami", ctx -> ctx.reply(Map.<String, Object>of("user", ctx.userId(), "meta", ctx.connection().<Object>attribute("meta"))));
        hub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
    }

    @Test
    void anOpaqueTokenOpensAsTheBackendsUserWithItsTags() {
        try (TestClient c = TestClient.connect(URI.create(TestHub.ws(hub) + "?token=opaque-alice&room=9"), Map.of("X-Tenant", "acme", "X-Secret", "no"))) {
            JsonNode connected = c.next("connected");
            assertThat(connected.path("data").path("userId").asText()).isEqualTo("alice");
            JsonNode me = c.request("whoami", null);
            assertThat(me.path("data").path("user").asText()).isEqualTo("alice");
            assertThat(me.path("data").path("meta").path("plan").asText()).isEqualTo("pro");
            assertThat(c.request("quit", Map.of("id", "none")).path("data").toString()).isEqualTo("[\"room:1\",\"user:alice\"]");
            assertThat(hub.sendToTag("room:1", "hello", 1)).isEqualTo(1);
        }
        JsonNode sent = backend.requests.stream().map(TestBackend.Request::json)
                .filter(b -> b.path("token").asText().equals("opaque-alice")).findFirst().orElseThrow();
        assertThat(sent.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(sent.path("headers").path("x-tenant").asText()).isEqualTo("acme");
        assertThat(sent.path("headers").has("x-secret")).isFalse();
        assertThat(sent.path("query").path("room").asText()).isEqualTo("9");
        assertThat(sent.path("query").has("token")).isFalse();
        assertThat(sent.path("claims").isNull()).isTrue();
    }

    @Test
    void aVerifiedJwtReachesTheBackendWithItsClaims() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "carol"))) {
            assertThat(c.next("connected").path("data").path("userId").asText()).isEqualTo("carol");
            assertThat(c.request("quit", Map.of("id", "none")).path("data").toString()).isEqualTo("[\"jwt:carol\"]");
        }
    }

    @Test
    void refusalsAnswerBeforeTheUpgrade() {
        assertThat(TestClient.connectFailure(URI.create(TestHub.ws(hub) + "?token=logged-out"), Map.of())).isEqualTo(401);
        assertThat(TestClient.connectFailure(URI.create(TestHub.ws(hub) + "?token=nobody"), Map.of())).isEqualTo(403);
    }

    @Test
    void aDeadBackendRefusesWith502() {
        WsHub dead = TestHub.start(cfg -> cfg.connectGate(new ConnectProxy(URI.create("http://127.0.0.1:1/connect"),
                Duration.ofSeconds(2), List.of(), new Backend(null, 10, null))));
        try {
            assertThat(TestClient.connectFailure(URI.create(TestHub.ws(dead) + "?token=x"), Map.of())).isEqualTo(502);
        } finally {
            dead.close();
        }
    }
}
