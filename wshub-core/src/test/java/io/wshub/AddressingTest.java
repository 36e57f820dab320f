package io.wshub;

import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md §3: send to one client, one user (all devices), a tag, everyone; counts are connections reached. */
class AddressingTest {
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> {});
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aUserGetsSendsOnEveryDevice() {
        try (TestClient phone = TestClient.connect(TestHub.ws(hub, "alice"));
             TestClient laptop = TestClient.connect(TestHub.ws(hub, "alice"));
             TestClient bob = TestClient.connect(TestHub.ws(hub, "bob"))) {
            phone.connectedId();
            laptop.connectedId();
            bob.connectedId();
            assertThat(hub.sendToUser("alice", "notice", Map.of("text", "hello"))).isEqualTo(2);
            assertThat(phone.next("notice").path("data").path("text").asText()).isEqualTo("hello");
            assertThat(laptop.next("notice").path("data").path("text").asText()).isEqualTo("hello");
            bob.assertNoMessage(200);
            assertThat(hub.sendToUser("nobody", "notice", "x")).isZero();
        }
    }

    @Test
    void tagsClientsAndEveryone() {
        try (TestClient a = TestClient.connect(TestHub.ws(hub, "a"));
             TestClient b = TestClient.connect(TestHub.ws(hub, "b"));
             TestClient anon = TestClient.connect(TestHub.ws(hub))) {
            a.connectedId();
            String bId = b.connectedId();
            anon.connectedId();
            a.request("join", Map.of("id", "room"));
            assertThat(hub.connection(bId)).isPresent();
            hub.connection(bId).orElseThrow().join("room"); // joined from server code
            assertThat(hub.sendToTag("room", "chat", Map.of("n", 1))).isEqualTo(2);
            assertThat(a.next("chat").path("data").path("n").asInt()).isEqualTo(1);
            assertThat(b.next("chat").path("timestamp").asLong()).isPositive();
            anon.assertNoMessage(200);

            assertThat(hub.sendToClient(bId, "direct", List.of(1, 2))).isEqualTo(1);
            assertThat(b.next("direct").path("data").toString()).isEqualTo("[1,2]");
            assertThat(hub.sendToClient("no-such-id", "direct", null)).isZero();

            assertThat(hub.sendToAll("all", "x")).isGreaterThanOrEqualTo(3);
            for (TestClient c : List.of(a, b, anon)) {
                assertThat(c.next("all").path("data").asText()).isEqualTo("x");
            }
            a.request("quit", Map.of("id", "room"));
            assertThat(hub.sendToTag("room", "chat", null)).isEqualTo(1);
        }
    }

    @Test
    void framesOfEveryLengthClassArriveIntact() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "sizes"))) {
            c.connectedId();
            // 7-bit, 16-bit and 64-bit payload lengths (RFC 6455 §5.2), at and around the boundaries.
            for (int size : new int[] {0, 60, 125 - 60, 126, 65_000, 65_535, 65_536, 200_000}) {
                String text = "x".repeat(size);
                assertThat(hub.sendToUser("sizes", "blob", text)).isEqualTo(1);
                assertThat(c.next("blob").path("data").asText()).isEqualTo(text);
            }
        }
    }

    @Test
    void sendsFromAnyThreadWhileClientsComeAndGo() throws Exception {
        try (TestClient steady = TestClient.connect(TestHub.ws(hub, "steady"))) {
            steady.connectedId();
            Thread[] senders = new Thread[4];
            for (int t = 0; t < senders.length; t++) {
                int id = t;
                senders[t] = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        hub.sendToUser("steady", "n", Map.of("t", id, "i", i));
                    }
                });
                senders[t].start();
            }
            for (int i = 0; i < 5; i++) {
                TestClient.connect(TestHub.ws(hub, "churn")).close();
            }
            for (Thread t : senders) {
                t.join();
            }
            int[] next = new int[senders.length];
            for (int i = 0; i < 200; i++) {
                var msg = steady.next("n").path("data");
                int t = msg.path("t").asInt();
                assertThat(msg.path("i").asInt()).as("per-sender order").isEqualTo(next[t]++);
            }
        }
    }
}
