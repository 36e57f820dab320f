package io.wshub.hostile;

import com.nimbusds.jwt.JWTClaimsSet;
import io.wshub.Connection;
import io.wshub.WsHub;
import io.wshub.auth.AuthMode;
import io.wshub.auth.HmacTokens;
import io.wshub.auth.JwtAuth;
import io.wshub.protocol.Protocol;
import io.wshub.testing.LogCapture;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.RawWs;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The optional caps, token rules and API contract checks (docs/limits.md); each hub is made for its case. */
class HostileLimitsTest {

    @Test
    void connectionsPerIpPastTheCapGet429AndASlotComesBackWhenOneCloses() {
        try (WsHub hub = TestHub.start(cfg -> cfg.limits().maxConnectionsPerIp(3))) {
            List<RawWs> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(RawWs.open(hub.port(), "/ws"));
            }
            RawUpgrade.Answer refused = RawUpgrade.send(hub.port(), "/ws", Map.of());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("{\"code\":429,\"message\":\"too many connections from this IP\"}");
            open.remove(0).close();
            await().until(() -> RawUpgrade.send(hub.port(), "/ws", Map.of()).status() == 101);
            open.forEach(RawWs::close);
        }
    }

    @Test
    void connectionsPerUserPastTheCapGet429WhileOtherUsersConnect() {
        try (WsHub hub = TestHub.start(cfg -> cfg.limits().maxConnectionsPerUser(2));
             TestClient one = TestClient.connect(TestHub.ws(hub, "u"));
             TestClient two = TestClient.connect(TestHub.ws(hub, "u"))) {
            one.connectedId();
            two.connectedId();
            RawUpgrade.Answer refused = RawUpgrade.send(hub.port(), "/ws?token=" + TestHub.token("u"), Map.of());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("too many connections for this user");
            try (TestClient other = TestClient.connect(TestHub.ws(hub, "v"));
                 TestClient anonymous = TestClient.connect(TestHub.ws(hub))) {
                other.connectedId();
                anonymous.connectedId();
            }
        }
    }

    @Test
    void handshakesPerSecondPerIpOverTheRateGet429() {
        try (WsHub hub = TestHub.start(cfg -> cfg.limits().handshakesPerSecondPerIp(5))) {
            int refused = 0;
            for (int i = 0; i < 12; i++) {
                RawUpgrade.Answer a = RawUpgrade.send(hub.port(), "/ws", Map.of());
                if (a.status() == 429) {
                    assertThat(a.body()).contains("too many handshakes from this IP");
                    refused++;
                } else {
                    assertThat(a.status()).isEqualTo(101);
                }
            }
            // 12 attempts against a burst of 5 refilling at 5/s: at least a few must be refused however slow the machine.
            assertThat(refused).isBetween(1, 7);
        }
    }

    @Test
    void theCapsAreOffByDefault() {
        try (WsHub hub = TestHub.start(cfg -> {})) {
            List<RawWs> many = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                many.add(RawWs.open(hub.port(), "/ws?token=" + TestHub.token("same")));
            }
            many.forEach(RawWs::close);
        }
    }

    @ParameterizedTest(name = "user id claim {0} gets 401")
    @ValueSource(strings = {"true", "1.5", "object", "array"})
    void aUserIdClaimThatIsNotAStringOrIntegerGets401(String kind) {
        Object value = switch (kind) {
            case "true" -> Boolean.TRUE;
            case "1.5" -> 1.5;
            case "object" -> Map.of("id", 1);
            default -> List.of("a");
        };
        String token = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().claim("id", value)
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        try (WsHub hub = TestHub.start(cfg -> {})) {
            RawUpgrade.Answer a = RawUpgrade.send(hub.port(), "/ws?token=" + token, Map.of());
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body()).isEqualTo("{\"code\":401,\"message\":\"user id claim must be a string or an integer\"}");
        }
    }

    @Test
    void anIntegerUserIdIsAccepted() {
        String token = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().claim("id", 42L).build());
        try (WsHub hub = TestHub.start(cfg -> {});
             TestClient c = TestClient.connect(TestHub.ws(hub).resolve("/ws?token=" + token))) {
            assertThat(c.next("connected").path("data").path("userId").asText()).isEqualTo("42");
        }
    }

    @Test
    void requireExpRefusesTokensWithoutExpAndIsOffByDefault() {
        String noExp = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().subject("hotgo").build());
        try (WsHub lenient = TestHub.start(cfg -> {});
             WsHub strict = TestHub.start(cfg -> cfg.auth(JwtAuth.hmac(TestHub.SECRET).requireExp(true)))) {
            assertThat(RawUpgrade.send(lenient.port(), "/ws?token=" + noExp, Map.of()).status()).isEqualTo(101);
            RawUpgrade.Answer a = RawUpgrade.send(strict.port(), "/ws?token=" + noExp, Map.of());
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body()).contains("token has no exp");
            assertThat(RawUpgrade.send(strict.port(), "/ws?token=" + TestHub.token("x"), Map.of()).status()).isEqualTo(101);
        }
    }

    @Test
    void theClockSkewAllowanceIsASetting() {
        String expired = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().subject("late")
                .expirationTime(Date.from(Instant.now().minusSeconds(30))).build());
        try (WsHub tight = TestHub.start(cfg -> {});
             WsHub loose = TestHub.start(cfg -> cfg.auth(JwtAuth.hmac(TestHub.SECRET).clockSkew(Duration.ofMinutes(2))))) {
            RawUpgrade.Answer a = RawUpgrade.send(tight.port(), "/ws?token=" + expired, Map.of());
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body()).isEqualTo("{\"code\":401,\"message\":\"token expired\"}");
            assertThat(RawUpgrade.send(loose.port(), "/ws?token=" + expired, Map.of()).status()).isEqualTo(101);
        }
        assertThatThrownBy(() -> JwtAuth.hmac(TestHub.SECRET).clockSkew(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "garbage token {0} gets a short stable 401")
    @ValueSource(strings = {"abc", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA"})
    void garbageTokensGetOurOwnMessages(String token) {
        try (WsHub hub = TestHub.start(cfg -> cfg.authMode(AuthMode.REQUIRED))) {
            RawUpgrade.Answer a = RawUpgrade.send(hub.port(), "/ws?token=" + token, Map.of());
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body()).isIn("{\"code\":401,\"message\":\"malformed token\"}", "{\"code\":401,\"message\":\"invalid token\"}");
        }
    }

    @ParameterizedTest(name = "close({0}) is refused and changes nothing")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2999, 5000, -1})
    void closeWithAnInvalidCodeIsRefusedBeforeAnyStateChanges(int code) {
        AtomicReference<Connection> conn = new AtomicReference<>();
        try (WsHub hub = TestHub.start(cfg -> {});
             TestClient c = TestClient.connect(TestHub.ws(hub, "v"))) {
            hub.onConnect(conn::set);
            String id = c.connectedId();
            Connection server = hub.connection(id).orElseThrow();
            assertThatThrownBy(() -> server.close(code, "x")).isInstanceOf(IllegalArgumentException.class);
            assertThat(server.isOpen()).isTrue();
            assertThat(hub.connection(id)).isPresent();
            assertThat(c.request("ping", null).path("code").asInt()).isZero();
            server.close(4321, "fine");
            assertThat(c.awaitClose()).isEqualTo(4321);
        }
    }

    @Test
    void nullArgumentsAreRefusedWithTheirNameBeforeAnythingChanges() {
        try (WsHub hub = TestHub.start(cfg -> {});
             TestClient c = TestClient.connect(TestHub.ws(hub, "n"))) {
            Connection server = hub.connection(c.connectedId()).orElseThrow();
            assertThatThrownBy(() -> hub.kickClient(null, "x")).isInstanceOf(NullPointerException.class)
                    .hasMessage("a client target needs an id");
            assertThatThrownBy(() -> hub.kickUser(null, null)).hasMessage("a user target needs an id");
            assertThatThrownBy(() -> hub.sendToTag(null, "e", 1)).hasMessage("a tag target needs an id");
            assertThatThrownBy(() -> hub.sendToAll(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("event");
            assertThatThrownBy(() -> hub.send(null, "e", 1)).hasMessage("target");
            assertThatThrownBy(() -> hub.join(null, "room")).hasMessage("target");
            assertThatThrownBy(() -> hub.connection(null)).hasMessage("clientId");
            assertThatThrownBy(() -> hub.onConnect(null)).hasMessage("listener");
            assertThatThrownBy(() -> server.send(null, 1)).hasMessage("event");
            assertThatThrownBy(() -> server.attribute(null, 1)).hasMessage("key");
            assertThatThrownBy(() -> io.wshub.Target.user(null)).isInstanceOf(NullPointerException.class);
            assertThat(server.isOpen()).isTrue();
            assertThat(hub.kickUser("n", null).toCompletableFuture().join()).isEqualTo(1); // null reason is allowed
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_KICKED);
        }
    }

    @Test
    void aFailingAuthenticatorLogsOneWarnPerEpisode() {
        boolean[] down = {true};
        try (LogCapture log = new LogCapture();
             WsHub hub = TestHub.start(cfg -> cfg.authMode(AuthMode.REQUIRED).auth(token -> {
                 if (down[0]) {
                     throw new IllegalStateException("JWKS unavailable");
                 }
                 return new io.wshub.auth.Identity(token, null);
             }))) {
            for (int i = 0; i < 5; i++) {
                assertThat(RawUpgrade.send(hub.port(), "/ws?token=t", Map.of()).status()).isEqualTo(500);
            }
            assertThat(log.warnings()).hasSize(1);
            down[0] = false;
            assertThat(RawUpgrade.send(hub.port(), "/ws?token=t", Map.of()).status()).isEqualTo(101);
            down[0] = true;
            assertThat(RawUpgrade.send(hub.port(), "/ws?token=t", Map.of()).status()).isEqualTo(500);
            assertThat(log.warnings()).hasSize(2);
        }
    }

    @Test
    void aClosedConnectionRefusesJoinsAndTheTagCodeIsDocumented() {
        assertThat(Protocol.tagProblem("")).isNotNull();
        assertThat(Protocol.tagProblem("x".repeat(Protocol.MAX_TAG_BYTES))).isNull();
        assertThat(Protocol.tagProblem("é".repeat(Protocol.MAX_TAG_BYTES / 2 + 1))).isNotNull();
    }
}
