package io.wshub.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real hubs on one engine, driven end to end as a backend would: a WebSocket client on
 * node a, every call through node b's HTTP API (docs/http-api.md). Each engine's test extends
 * this and says how a node joins its cluster.
 */
public abstract class TwoNodeHttpContract {
    private static final AtomicLong PROBES = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Sets {@code cfg}'s broker and presence to a new node of this test's cluster. */
    protected abstract WsConfig install(WsConfig cfg);

    @Test
    void aBackendReachesAClientOnAnotherNodeThroughTheHttpApi() {
        try (WsHub a = TestHub.start(cfg -> install(cfg.nodeId("a")));
             WsHub b = TestHub.start(cfg -> install(cfg.nodeId("b")));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            String id = alice.connectedId();
            alice.request("join", Map.of("id", "room"));
            await().untilAsserted(() -> assertThat(get(b, "/api/clients?userId=alice").path("list").path(0).path("node").asText())
                    .isEqualTo("a"));
            awaitRoute(b, "/api/send/user/alice", alice);
            awaitRoute(b, "/api/send/tag/room", alice);

            assertThat(post(b, "/api/send/user/alice", "{\"event\":\"notice\",\"data\":{\"text\":\"hi\"}}").path("delivered").asInt())
                    .isEqualTo(1);
            assertThat(next(alice, "notice").path("data").path("text").asText()).isEqualTo("hi");
            assertThat(post(b, "/api/send/tag/room", "{\"event\":\"room\",\"data\":[1]}").path("delivered").asInt()).isEqualTo(1);
            assertThat(next(alice, "room").path("data").toString()).isEqualTo("[1]");
            assertThat(post(b, "/api/send/client/" + id, "{\"event\":\"direct\"}").path("delivered").asInt()).isEqualTo(1);
            next(alice, "direct");
            assertThat(post(b, "/api/send/all", "{\"event\":\"everyone\",\"data\":\"x\"}").path("delivered").asInt()).isEqualTo(1);
            next(alice, "everyone");

            assertThat(get(b, "/api/users").path("list").toString()).contains("{\"userId\":\"alice\",\"connections\":1}");
            assertThat(get(b, "/api/tags").path("list").toString()).contains("{\"tag\":\"room\",\"members\":1}");
            assertThat(get(b, "/api/stats").path("nodes").toString()).isEqualTo("[\"a\",\"b\"]");

            assertThat(post(b, "/api/clients/" + id + "/kick", "{\"reason\":\"bye\"}").path("kicked").asInt()).isEqualTo(1);
            assertThat(next(alice, "kick").path("data").path("reason").asText()).isEqualTo("bye");
            assertThat(alice.awaitClose()).isEqualTo(4000);
        }
    }

    @Test
    void apiNodesListsEachNodesOwnCountsAndDropsAStoppedNode() {
        try (WsHub a = TestHub.start(cfg -> install(cfg.nodeId("a")))) {
            WsHub b = TestHub.start(cfg -> install(cfg.nodeId("b")));
            try (TestClient ann = TestClient.connect(TestHub.ws(a, "ann"));
                 TestClient bob = TestClient.connect(TestHub.ws(b, "bob"));
                 TestClient bob2 = TestClient.connect(TestHub.ws(b, "bob"));
                 TestClient bea = TestClient.connect(TestHub.ws(b, "bea"))) {
                List.of(ann, bob, bob2, bea).forEach(TestClient::connectedId);
                for (String room : List.of("r1", "r2", "r3")) {
                    bea.request("join", Map.of("id", room));
                }
                await().untilAsserted(() -> {
                    JsonNode nodes = get(a, "/api/nodes");
                    assertThat(nodes.path("self").asText()).isEqualTo("a");
                    assertThat(nodes.path("total").asInt()).isEqualTo(2);
                    assertThat(nodes.path("list").findValuesAsText("id")).containsExactly("a", "b");
                    assertThat(nodes.path("list").findValues("self")).extracting(JsonNode::asBoolean).containsExactly(true, false);
                    assertThat(nodes.path("list").findValues("connections")).extracting(JsonNode::asInt).containsExactly(1, 3);
                    assertThat(nodes.path("list").findValues("users")).extracting(JsonNode::asInt).containsExactly(1, 2);
                    assertThat(nodes.path("list").path(1).path("messagesIn").asLong()).isGreaterThanOrEqualTo(3);
                });
                JsonNode fromB = get(b, "/api/nodes");
                assertThat(fromB.path("self").asText()).isEqualTo("b");
                assertThat(fromB.path("list").findValues("self")).extracting(JsonNode::asBoolean).containsExactly(false, true);
                long now = System.currentTimeMillis();
                assertThat(fromB.path("list").path(0).path("heartbeatAt").asLong()).isBetween(now - 60_000, now + 1000);
                assertThat(fromB.path("list").path(1).path("startedAt").asLong()).isBetween(now - 60_000, now + 1000);
            } finally {
                b.close();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get(a, "/api/nodes").path("list").findValuesAsText("id")).containsExactly("a"));
        }
    }

    /**
     * Sends probes through {@code path} until one sent by this call reaches {@code client} (the
     * route is live); earlier probes still on their way do not count.
     */
    private static void awaitRoute(WsHub via, String path, TestClient client) {
        long first = PROBES.get() + 1;
        await().pollInterval(Duration.ofMillis(100)).until(() -> {
            post(via, path, "{\"event\":\"probe\",\"data\":" + PROBES.incrementAndGet() + "}");
            boolean arrived = false;
            while (client.pending() > 0) {
                JsonNode msg = client.next();
                arrived |= msg.path("event").asText().equals("probe") && msg.path("data").asLong() >= first;
            }
            return arrived;
        });
    }

    /** The next message that is not a probe; it must have {@code event}. */
    private static JsonNode next(TestClient client, String event) {
        while (true) {
            JsonNode msg = client.next();
            if (!msg.path("event").asText().equals("probe")) {
                assertThat(msg.path("event").asText()).as("message %s", msg).isEqualTo(event);
                return msg;
            }
        }
    }

    private static JsonNode get(WsHub hub, String path) {
        return call(hub, HttpRequest.newBuilder(uri(hub, path)).GET());
    }

    private static JsonNode post(WsHub hub, String path, String body) {
        return call(hub, HttpRequest.newBuilder(uri(hub, path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(WsHub hub, String path) {
        return TestHub.http(hub, path);
    }

    private static JsonNode call(WsHub hub, HttpRequest.Builder request) {
        try {
            HttpResponse<String> answer = HTTP.send(request.header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode json = TestClient.JSON.readTree(answer.body());
            assertThat(json.path("code").asInt()).as(answer.body()).isZero();
            return json.path("data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
