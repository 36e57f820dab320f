package io.wshub.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two hubs in one JVM sharing a {@link MemoryCluster}: sends, kicks and presence cross nodes. */
class MemoryClusterTest {
    static final MemoryCluster cluster = new MemoryCluster();
    static WsHub a;
    static WsHub b;

    @BeforeAll
    static void start() {
        a = TestHub.start(cfg -> cluster.install(cfg.nodeId("a")));
        b = TestHub.start(cfg -> cluster.install(cfg.nodeId("b")));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @AfterEach
    void up() {
        cluster.down(false);
    }

    @Test
    void sendsByUserTagClientAndAllReachTheOtherNode() {
        try (TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            String id = alice.connectedId();
            alice.request("join", Map.of("id", "room1"));
            await().until(() -> b.tags().toCompletableFuture().join().stream().anyMatch(t -> t.tag().equals("room1")));

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
    void sendCountsConnectionsOnEveryNode() {
        try (TestClient onA = TestClient.connect(TestHub.ws(a, "carol"));
             TestClient onB = TestClient.connect(TestHub.ws(b, "carol"))) {
            onA.connectedId();
            onB.connectedId();
            int delivered = b.send(Target.user("carol"), "hello", "x").toCompletableFuture().join();
            assertThat(delivered).isEqualTo(2);
            onA.next("hello");
            onB.next("hello");
        }
    }

    @Test
    void presenceIsTheSameFromEveryNode() {
        try (TestClient onA = TestClient.connect(TestHub.ws(a, "dave"));
             TestClient onB = TestClient.connect(TestHub.ws(b, "erin"))) {
            String idA = onA.connectedId();
            String idB = onB.connectedId();
            for (WsHub hub : List.of(a, b)) {
                List<String> ids = hub.clients(ClientQuery.all()).toCompletableFuture().join()
                        .list().stream().map(ClientInfo::id).toList();
                assertThat(ids).contains(idA, idB);
                assertThat(hub.users().toCompletableFuture().join()).extracting(u -> u.userId()).contains("dave", "erin");
                assertThat(hub.stats().toCompletableFuture().join().nodes()).containsExactly("a", "b");
            }
        }
    }

    @Test
    void kickReachesTheOtherNode() {
        try (TestClient onA = TestClient.connect(TestHub.ws(a, "frank"))) {
            onA.connectedId();
            assertThat(b.kickUser("frank", "bye").toCompletableFuture().join()).isEqualTo(1);
            JsonNode kick = onA.next("kick");
            assertThat(kick.path("data").path("reason").asText()).isEqualTo("bye");
            assertThat(onA.awaitClose()).isEqualTo(4000);
        }
    }

    @Test
    void anOutageKeepsLocalDeliveryAndCountsFailedPublishes() {
        try (TestClient onA = TestClient.connect(TestHub.ws(a, "gina"));
             TestClient onB = TestClient.connect(TestHub.ws(b, "gina"))) {
            onA.connectedId();
            onB.connectedId();
            cluster.down(true);
            double before = failures(b);
            assertThat(b.sendToUser("gina", "local", "x")).isEqualTo(1);
            onB.next("local");
            assertThat(failures(b)).isEqualTo(before + 1);
            cluster.down(false);
            b.sendToUser("gina", "again", "y");
            onA.next("again");
            onB.next("again");
        }
    }

    private static double failures(WsHub hub) {
        return hub.meterRegistry().get("wshub.cluster.publish.failures").counter().count();
    }
}
