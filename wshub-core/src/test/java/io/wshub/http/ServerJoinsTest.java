package io.wshub.http;

import io.wshub.JoinPolicy;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.cluster.MemoryCluster;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/backend.md "Server-side joins": the backend puts a client, or all of a user's connections on every node, in a tag. */
class ServerJoinsTest {
    static final MemoryCluster cluster = new MemoryCluster();
    static WsHub a;
    static WsHub b;

    @BeforeAll
    static void start() {
        // Client joins are refused: only the server can put anyone in a tag.
        a = TestHub.start(cfg -> cluster.install(cfg.nodeId("a")).joinPolicy((c, t) -> JoinPolicy.DENY));
        b = TestHub.start(cfg -> cluster.install(cfg.nodeId("b")).joinPolicy((c, t) -> JoinPolicy.DENY));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void joinsAndQuitsAUserOnEveryNodeAndOneClient() {
        try (TestClient phone = TestClient.connect(TestHub.ws(a, "dana")); TestClient laptop = TestClient.connect(TestHub.ws(b, "dana"));
             TestClient other = TestClient.connect(TestHub.ws(b, "erin"))) {
            phone.connectedId();
            laptop.connectedId();
            String otherId = other.connectedId();
            assertThat(phone.request("join", Map.of("id", "vip")).path("code").asInt()).isEqualTo(403);
            await().until(() -> a.users().toCompletableFuture().join().size() == 2);

            ApiClient.Answer joined = ApiClient.of(a).post("/api/users/dana/join", Map.of("tag", "vip"));
            assertThat(joined.status()).isEqualTo(200);
            assertThat(joined.data().path("connections").asInt()).isEqualTo(2);
            await().until(() -> laptop.request("quit", Map.of("id", "-")).path("data").toString().equals("[\"vip\"]"));
            assertThat(phone.request("quit", Map.of("id", "-")).path("data").toString()).isEqualTo("[\"vip\"]");

            assertThat(ApiClient.of(a).post("/api/clients/" + otherId + "/join", Map.of("tag", "vip")).data().path("connections").asInt()).isEqualTo(1);
            await().until(() -> other.request("quit", Map.of("id", "-")).path("data").toString().equals("[\"vip\"]"));

            assertThat(ApiClient.of(b).post("/api/users/dana/quit", Map.of("tag", "vip")).data().path("connections").asInt()).isEqualTo(2);
            await().until(() -> phone.request("quit", Map.of("id", "-")).path("data").size() == 0);
            assertThat(laptop.request("quit", Map.of("id", "-")).path("data").size()).isZero();

            assertThat(b.join(Target.user("dana"), "java").toCompletableFuture().join()).isEqualTo(2);
            await().until(() -> phone.request("quit", Map.of("id", "-")).path("data").toString().equals("[\"java\"]"));
        }
    }

    @Test
    void badCallsGetTheDocumentedErrors() {
        assertThat(ApiClient.of(a).post("/api/users/dana/join", Map.of()).status()).isEqualTo(400);
        assertThat(ApiClient.of(a).post("/api/users/dana/join", Map.of("tag", "")).status()).isEqualTo(400);
        assertThat(ApiClient.of(a).post("/api/clients/x/quit", "not json").status()).isEqualTo(400);
        assertThat(ApiClient.with(a, Map.of()).post("/api/users/dana/join", Map.of("tag", "t")).status()).isEqualTo(401);
        assertThat(ApiClient.of(a).post("/api/users/nobody/join", Map.of("tag", "t")).data().path("connections").asInt()).isZero();
    }
}
