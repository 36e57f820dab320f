package io.wshub.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.FrameType;
import io.wshub.TagCount;
import io.wshub.Target;
import io.wshub.UserCount;
import io.wshub.WsHub;
import io.wshub.testing.FrameClient;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three hubs sharing one real Redis: every send and every presence list is cluster-wide. */
class RedisClusterTest {
    static RedisServer redis;
    static WsHub a;
    static WsHub b;
    static WsHub c;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url()));
        b = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("b"), redis.url()));
        c = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("c"), redis.url()));
        await().until(() -> nodes(a).equals(List.of("a", "b", "c")));
    }

    @AfterAll
    static void stop() {
        try {
            for (WsHub hub : new WsHub[] {a, b, c}) {
                if (hub != null) {
                    hub.close();
                }
            }
        } finally {
            redis.close();
        }
    }

    @Test
    void sendsOnOneNodeReachAUserTagClientAndEveryoneOnAnother() {
        try (TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            String id = alice.connectedId();
            alice.request("join", Map.of("id", "room1"));
            awaitSubscribed("wshub:user:alice", "wshub:tag:room1");

            assertThat(b.sendToUser("alice", "to-user", Map.of("n", 1))).isZero();
            assertThat(alice.next("to-user").path("data").path("n").asInt()).isEqualTo(1);
            b.sendToTag("room1", "to-tag", "t");
            assertThat(alice.next("to-tag").path("data").asText()).isEqualTo("t");
            b.sendToClient(id, "to-client", null);
            alice.next("to-client");
            b.sendToAll("to-all", List.of(1, 2));
            assertThat(alice.next("to-all").path("data").toString()).isEqualTo("[1,2]");
        }
    }

    @Test
    void aNodeSubscribesOnlyToUsersAndTagsItHas() {
        try (TestClient bob = TestClient.connect(TestHub.ws(a, "bob"))) {
            bob.connectedId();
            bob.request("join", Map.of("id", "only-a"));
            awaitSubscribed("wshub:user:bob", "wshub:tag:only-a");
            assertThat(redis.subscribers("wshub:user:bob")).isEqualTo(1);
            assertThat(redis.subscribers("wshub:all")).isEqualTo(3);
            assertThat(redis.subscribers("wshub:node:a")).isEqualTo(1);
            bob.request("quit", Map.of("id", "only-a"));
            await().until(() -> redis.subscribers("wshub:tag:only-a") == 0);
        }
        await().until(() -> redis.subscribers("wshub:user:bob") == 0);
    }

    @Test
    void presenceIsTheSameFromEveryNode() {
        try (TestClient onA = TestClient.connect(TestHub.ws(a, "dave"));
             TestClient onB = TestClient.connect(TestHub.ws(b, "erin"));
             TestClient alsoB = TestClient.connect(TestHub.ws(b, "dave"))) {
            String idA = onA.connectedId();
            String idB = onB.connectedId();
            String idB2 = alsoB.connectedId();
            onA.request("join", Map.of("id", "lobby"));
            onB.request("join", Map.of("id", "lobby"));
            await().until(() -> clientIds(a).containsAll(List.of(idA, idB, idB2))
                    && tags(a).contains(new TagCount("lobby", 2)));
            for (WsHub hub : List.of(b, c)) {
                await().until(() -> clientIds(hub).equals(clientIds(a)));
                assertThat(users(hub)).isEqualTo(users(a)).contains(new UserCount("dave", 2), new UserCount("erin", 1));
                assertThat(tags(hub)).isEqualTo(tags(a));
                assertThat(nodes(hub)).containsExactly("a", "b", "c");
            }
            ClientInfo erin = a.clients(new ClientQuery("erin", null, null, 1, 10)).toCompletableFuture().join().list().get(0);
            assertThat(erin.node()).isEqualTo("b");
            assertThat(erin.tags()).containsExactly("lobby");
            assertThat(erin.ip()).isEqualTo("127.0.0.1");
        }
        await().until(() -> users(c).stream().noneMatch(u -> u.userId().equals("dave") || u.userId().equals("erin")));
    }

    @Test
    void sendCountsConnectionsOnEveryNodeAndKicksCrossNodes() {
        try (TestClient onA = TestClient.connect(TestHub.ws(a, "carol"));
             TestClient onB = TestClient.connect(TestHub.ws(b, "carol"))) {
            onA.connectedId();
            onB.connectedId();
            awaitSubscribed("wshub:user:carol");
            await().until(() -> users(c).contains(new UserCount("carol", 2)));
            assertThat(c.send(Target.user("carol"), "hello", "x").toCompletableFuture().join()).isEqualTo(2);
            onA.next("hello");
            onB.next("hello");

            assertThat(c.kickUser("carol", "bye").toCompletableFuture().join()).isEqualTo(2);
            assertThat(onA.next("kick").path("data").path("reason").asText()).isEqualTo("bye");
            assertThat(onB.next("kick").path("data").path("reason").asText()).isEqualTo("bye");
            assertThat(onA.awaitClose()).isEqualTo(4000);
            assertThat(onB.awaitClose()).isEqualTo(4000);
        }
    }

    @Test
    void theHttpApiOfAThirdNodeSendsToAUserOnAnother() throws Exception {
        try (TestClient frank = TestClient.connect(TestHub.ws(a, "frank"))) {
            frank.connectedId();
            awaitSubscribed("wshub:user:frank");
            await().until(() -> users(c).contains(new UserCount("frank", 1)));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(TestHub.http(c, "/api/send/user/frank"))
                    .header("X-API-Key", TestHub.API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"notice\",\"data\":{\"text\":\"hi\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(TestClient.JSON.readTree(answer.body()).path("data").path("delivered").asInt()).isEqualTo(1);
            JsonNode msg = frank.next("notice");
            assertThat(msg.path("data").path("text").asText()).isEqualTo("hi");
        }
    }

    @Test
    void crossNodeLatency() {
        try (TestClient gina = TestClient.connect(TestHub.ws(a, "gina"))) {
            gina.connectedId();
            awaitSubscribed("wshub:user:gina");
            int n = 200;
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                b.sendToUser("gina", "tick", i);
                assertThat(gina.next("tick").path("data").asInt()).isEqualTo(i);
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            java.util.Arrays.sort(micros);
            System.out.printf("cross-node send -> receive over Redis, %d sends: p50 %d us, p99 %d us%n",
                    n, micros[n / 2], micros[n * 99 / 100]);
        }
    }

    @Test
    void rawFramesCrossNodesWithTheirFrameType() {
        try (FrameClient gin = FrameClient.connect(TestHub.ws(a, "gin"))) {
            assertThat(gin.next(FrameType.TEXT).path("event").asText()).isEqualTo("connected");
            awaitSubscribed("wshub:user:gin");
            byte[] bytes = {0, (byte) 0xff, 10, 13};
            assertThat(b.sendRaw(Target.user("gin"), FrameType.BINARY, bytes).toCompletableFuture().join()).isEqualTo(1);
            FrameClient.Frame binary = gin.next();
            assertThat(binary.type()).isEqualTo(FrameType.BINARY);
            assertThat(binary.payload()).containsExactly(bytes);
            c.sendRaw(Target.ALL, FrameType.TEXT, "plain \n text ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            FrameClient.Frame text = gin.next();
            assertThat(text.type()).isEqualTo(FrameType.TEXT);
            assertThat(text.text()).isEqualTo("plain \n text ✓");
        }
    }

    static void awaitSubscribed(String... channels) {
        for (String channel : channels) {
            await().until(() -> redis.subscribers(channel) > 0);
        }
    }

    static List<String> nodes(WsHub hub) {
        return hub.stats().toCompletableFuture().join().nodes();
    }

    static List<String> clientIds(WsHub hub) {
        return hub.clients(ClientQuery.all()).toCompletableFuture().join().list().stream().map(ClientInfo::id).toList();
    }

    static List<UserCount> users(WsHub hub) {
        return hub.users().toCompletableFuture().join();
    }

    static List<TagCount> tags(WsHub hub) {
        return hub.tags().toCompletableFuture().join();
    }
}
