package io.wshub;

import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/protocol.md §7: send never blocks; a full outbound queue closes that connection with 4008 and slows no one else. */
class FlowControlTest {

    @Test
    void aSlowConsumerIsClosedWith4008WhileAHundredOthersKeepReceiving() {
        Map<String, Integer> closeCodes = new ConcurrentHashMap<>();
        try (WsHub hub = TestHub.configure(cfg -> cfg.outboundQueueBytes(64 * 1024))
                .onClose((conn, status) -> closeCodes.put(conn.id(), status.code())).start()) {
            TestClient slow = TestClient.connect(TestHub.ws(hub, "slow"));
            String slowId = slow.connectedId();
            slow.request("join", Map.of("id", "feed"));
            slow.pause();
            List<TestClient> others = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                TestClient c = TestClient.connect(TestHub.ws(hub, "fast" + i));
                c.connectedId();
                c.request("join", Map.of("id", "feed"));
                others.add(c);
            }
            String big = "x".repeat(32 * 1024);
            int rounds = 0;
            // Big pushes to the paused reader fill its socket buffers, then its queue; every round
            // the hundred fast readers must get their tick, in order.
            while (!closeCodes.containsKey(slowId) && rounds < 1000) {
                for (int i = 0; i < 4; i++) {
                    hub.sendToClient(slowId, "big", big);
                }
                hub.sendToTag("feed", "tick", Map.of("round", rounds));
                for (TestClient c : others) {
                    assertThat(c.next("tick").path("data").path("round").asInt()).isEqualTo(rounds);
                }
                rounds++;
            }
            assertThat(closeCodes).containsEntry(slowId, Protocol.CLOSE_SLOW_CONSUMER);
            // Everyone else is still served.
            assertThat(hub.sendToTag("feed", "after", "ok")).isEqualTo(100);
            for (TestClient c : others) {
                assertThat(c.next("after").path("data").asText()).isEqualTo("ok");
                c.close();
            }
            slow.abort();
            assertThat(hub.meterRegistry().get("wshub.slow.consumer.closes").counter().count()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anOversizeMessageGets413ThenClose1009() {
        try (WsHub hub = TestHub.start(cfg -> cfg.maxMessageBytes(1024));
             TestClient c = TestClient.connect(TestHub.ws(hub));
             TestClient bystander = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            bystander.connectedId();
            c.send("{\"event\":\"ping\",\"data\":\"" + "y".repeat(2000) + "\"}");
            var error = c.next("error");
            assertThat(error.path("code").asInt()).isEqualTo(Protocol.TOO_LARGE);
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_TOO_BIG);
            assertThat(bystander.request("ping", null).path("code").asInt()).isZero();
            // Just under the limit is fine.
            try (TestClient ok = TestClient.connect(TestHub.ws(hub))) {
                ok.connectedId();
                ok.send("{\"event\":\"ping\",\"data\":\"" + "y".repeat(900) + "\"}");
                assertThat(ok.next("ping").path("code").asInt()).isZero();
            }
        }
    }

    @Test
    void sendToAClosedConnectionReturnsFalseWithoutThrowing() {
        try (WsHub hub = TestHub.start(cfg -> {})) {
            TestClient c = TestClient.connect(TestHub.ws(hub, "gone"));
            String id = c.connectedId();
            Connection conn = hub.connection(id).orElseThrow();
            c.close();
            await().until(() -> !conn.isOpen());
            assertThat(conn.send("late", "x")).isFalse();
        }
    }
}
