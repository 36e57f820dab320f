package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/protocol.md §3: connection lists with filters and paging, users, tags, kicks. */
class PresenceTest {
    WsHub hub;

    @BeforeEach
    void start() {
        hub = TestHub.start(cfg -> {});
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void listsFilterAndPage() {
        try (TestClient a1 = TestClient.connect(TestHub.ws(hub, "ann"), Map.of("User-Agent", "phone/1"));
             TestClient a2 = TestClient.connect(TestHub.ws(hub, "ann"));
             TestClient b = TestClient.connect(TestHub.ws(hub, "ben"))) {
            String a1Id = a1.connectedId();
            a2.connectedId();
            b.connectedId();
            a1.request("join", Map.of("id", "red"));
            b.request("join", Map.of("id", "red"));
            b.request("join", Map.of("id", "blue"));

            Page<ClientInfo> all = hub.clients(new ClientQuery(null, null, null, 1, 20)).toCompletableFuture().join();
            assertThat(all.total()).isEqualTo(3);
            Page<ClientInfo> anns = hub.clients(new ClientQuery("ann", null, null, 1, 20)).toCompletableFuture().join();
            assertThat(anns.list()).extracting(ClientInfo::userId).containsOnly("ann");
            assertThat(anns.total()).isEqualTo(2);
            ClientInfo first = hub.clients(new ClientQuery(null, "red", "127.0.0.1", 1, 1)).toCompletableFuture().join().list().get(0);
            assertThat(first.id()).isEqualTo(a1Id);
            assertThat(first.userAgent()).isEqualTo("phone/1");
            assertThat(first.tags()).containsExactly("red");
            assertThat(first.node()).isEqualTo(hub.nodeId());
            Page<ClientInfo> page2 = hub.clients(new ClientQuery(null, "red", null, 2, 1)).toCompletableFuture().join();
            assertThat(page2.total()).isEqualTo(2);
            assertThat(page2.list()).hasSize(1).extracting(ClientInfo::userId).containsExactly("ben");
            assertThat(hub.clients(new ClientQuery(null, null, "10.0.0.1", 1, 20)).toCompletableFuture().join().total()).isZero();

            assertThat(hub.users().toCompletableFuture().join()).containsExactly(new UserCount("ann", 2), new UserCount("ben", 1));
            assertThat(hub.tags().toCompletableFuture().join()).containsExactly(new TagCount("blue", 1), new TagCount("red", 2));
            HubStats stats = hub.stats().toCompletableFuture().join();
            assertThat(stats.connections()).isEqualTo(3);
            assertThat(stats.users()).isEqualTo(2);
            assertThat(stats.nodes()).containsExactly(hub.nodeId());
        }
        await().until(() -> hub.users().toCompletableFuture().join().isEmpty() && hub.tags().toCompletableFuture().join().isEmpty());
    }

    @Test
    void kickDeliversTheReasonThenClosesWith4000() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "k"))) {
            String id = c.connectedId();
            assertThat(hub.kickClient(id, "bye now").toCompletableFuture().join()).isEqualTo(1);
            JsonNode kick = c.next("kick");
            assertThat(kick.path("data").path("reason").asText()).isEqualTo("bye now");
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_KICKED);
        }
        assertThat(hub.kickClient("missing", "x").toCompletableFuture().join()).isZero();
    }

    @Test
    void kickUserClosesEveryDevice() {
        try (TestClient d1 = TestClient.connect(TestHub.ws(hub, "multi"));
             TestClient d2 = TestClient.connect(TestHub.ws(hub, "multi"));
             TestClient other = TestClient.connect(TestHub.ws(hub, "other"))) {
            d1.connectedId();
            d2.connectedId();
            other.connectedId();
            assertThat(hub.kickUser("multi", "banned").toCompletableFuture().join()).isEqualTo(2);
            assertThat(d1.next("kick").path("data").path("reason").asText()).isEqualTo("banned");
            assertThat(d2.next("kick").path("data").path("reason").asText()).isEqualTo("banned");
            assertThat(d1.awaitClose()).isEqualTo(4000);
            assertThat(d2.awaitClose()).isEqualTo(4000);
            assertThat(other.request("ping", null).path("code").asInt()).isZero();
        }
    }
}
