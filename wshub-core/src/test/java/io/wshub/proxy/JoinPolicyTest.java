package io.wshub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.wshub.JoinPolicy;
import io.wshub.WsHub;
import io.wshub.auth.HmacTokens;
import io.wshub.join.TagPattern;
import io.wshub.testing.TestBackend;
import io.wshub.testing.TestBackend.Answer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/backend.md "Tag permissions": open, token, proxy and public patterns allow and refuse as configured. */
class JoinPolicyTest {

    @Test
    void patternsMatchWildcardsAndTheUserIdLiterally() {
        assertThat(TagPattern.matches("room:*", "room:1", null)).isTrue();
        assertThat(TagPattern.matches("room:*", "rooms", null)).isFalse();
        assertThat(TagPattern.matches("user:{userId}:*", "user:alice:private", "alice")).isTrue();
        assertThat(TagPattern.matches("user:{userId}:*", "user:bob:private", "alice")).isFalse();
        assertThat(TagPattern.matches("user:{userId}", "user:alice", null)).isFalse();
        // a user id holding '*' is no wildcard
        assertThat(TagPattern.matches("user:{userId}", "user:anything", "*")).isFalse();
        assertThat(TagPattern.matches("*a*b*c", "xxaxxbxxc", null)).isTrue();
        assertThat(TagPattern.matches("news", "news", null)).isTrue();
    }

    @Test
    void openLetsAnyoneJoinAnything() {
        WsHub hub = TestHub.start(cfg -> {});
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "mallory"))) {
            c.connectedId();
            assertThat(c.request("join", Map.of("id", "user:alice:private")).path("code").asInt()).isZero();
        } finally {
            hub.close();
        }
    }

    @Test
    void tokenClaimListsAllowedPatternsAndPublicTagsAreOpen() {
        WsHub hub = TestHub.start(cfg -> cfg.joinPolicy(JoinPolicy.tokenClaim("tags").withPublic(List.of("news", "lobby:*"))));
        String token = HmacTokens.sign(TestHub.SECRET, new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                .claim("tags", List.of("room:*", "user:{userId}:*")).build());
        URI aliceUri = URI.create(TestHub.ws(hub) + "?token=" + token);
        try (TestClient alice = TestClient.connect(aliceUri); TestClient anon = TestClient.connect(TestHub.ws(hub));
             TestClient bob = TestClient.connect(TestHub.ws(hub, "bob"))) {
            alice.connectedId();
            anon.connectedId();
            bob.connectedId();
            assertThat(alice.request("join", Map.of("id", "room:7")).path("code").asInt()).isZero();
            assertThat(alice.request("join", Map.of("id", "user:alice:private")).path("code").asInt()).isZero();
            JsonNode refused = alice.request("join", Map.of("id", "user:bob:private"));
            assertThat(refused.path("code").asInt()).isEqualTo(403);
            assertThat(alice.request("ping", null).path("code").asInt()).isZero();
            // a refused join changed nothing
            assertThat(alice.request("quit", Map.of("id", "none")).path("data").size()).isEqualTo(2);
            assertThat(bob.request("join", Map.of("id", "user:alice:private")).path("code").asInt()).isEqualTo(403);
            assertThat(bob.request("join", Map.of("id", "room:7")).path("code").asInt()).isEqualTo(403);
            assertThat(anon.request("join", Map.of("id", "news")).path("code").asInt()).isZero();
            assertThat(anon.request("join", Map.of("id", "lobby:x")).path("code").asInt()).isZero();
            assertThat(hub.sendToTag("user:alice:private", "secret", "s")).isEqualTo(1);
            assertThat(alice.next("secret").path("data").asText()).isEqualTo("s");
            bob.request("ping", null);
            assertThat(bob.pending()).isZero();
        } finally {
            hub.close();
        }
    }

    @Test
    void proxyPolicyAsksTheJoinUrlAndRemembersTheAnswer() {
        try (TestBackend backend = new TestBackend()) {
            backend.on("/join", req -> {
                JsonNode b = req.json();
                boolean allow = b.path("tag").asText().startsWith("team:" + b.path("user").asText());
                return Answer.json("{\"allow\":" + allow + "}");
            });
            backend.on("/broken", req -> Answer.json("{\"allow\":\"maybe\"}"));
            Backend client = new Backend("s3cret", 100, null);
            WsHub hub = TestHub.start(cfg -> cfg.joinPolicy(new JoinProxy(URI.create(backend.url("/join")),
                    Duration.ofSeconds(2), Duration.ofMinutes(1), client).withPublic(List.of("news"))));
            WsHub broken = TestHub.start(cfg -> cfg.joinPolicy(new JoinProxy(URI.create(backend.url("/broken")),
                    Duration.ofSeconds(2), Duration.ZERO, client)));
            try (TestClient c = TestClient.connect(TestHub.ws(hub, "red")); TestClient d = TestClient.connect(TestHub.ws(broken, "red"))) {
                String id = c.connectedId();
                d.connectedId();
                assertThat(c.request("join", Map.of("id", "team:red")).path("code").asInt()).isZero();
                assertThat(c.request("join", Map.of("id", "team:blue")).path("code").asInt()).isEqualTo(403);
                assertThat(c.request("join", Map.of("id", "news")).path("code").asInt()).isZero();
                c.request("quit", Map.of("id", "team:red"));
                assertThat(c.request("join", Map.of("id", "team:red")).path("code").asInt()).isZero();
                assertThat(c.request("join", Map.of("id", "team:blue")).path("code").asInt()).isEqualTo(403);
                // asked once per tag (cached), never for the public one
                assertThat(backend.requests).hasSize(2);
                JsonNode first = backend.requests.get(0).json();
                assertThat(first.path("client").asText()).isEqualTo(id);
                assertThat(first.path("user").asText()).isEqualTo("red");
                assertThat(first.path("tag").asText()).isEqualTo("team:red");
                assertThat(backend.requests.get(0).header(Signer.SIGNATURE_HEADER)).startsWith("sha256=");
                assertThat(d.request("join", Map.of("id", "team:red")).path("code").asInt()).isEqualTo(502);
                assertThat(d.request("quit", Map.of("id", "x")).path("data").size()).isZero();
            } finally {
                hub.close();
                broken.close();
            }
        }
    }
}
