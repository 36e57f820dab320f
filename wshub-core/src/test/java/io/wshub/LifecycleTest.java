package io.wshub;

import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Nothing runs before start; close stops accepting, sends 1001 to everyone and returns within the drain time. */
class LifecycleTest {

    @Test
    void nothingListensBeforeStart() {
        WsHub hub = TestHub.configure(cfg -> {});
        assertThat(hub.port()).isEqualTo(-1);
        assertThat(hub.isAccepting()).isFalse();
        hub.start();
        assertThat(hub.port()).isPositive();
        assertThat(hub.isAccepting()).isTrue();
        assertThatThrownBy(hub::start).isInstanceOf(IllegalStateException.class);
        hub.close();
        hub.close(); // idempotent
    }

    @Test
    void closeSends1001ToEveryClientAndStopsAccepting() {
        WsHub hub = TestHub.start(cfg -> {});
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TestClient c = TestClient.connect(TestHub.ws(hub, "u" + i));
            c.connectedId();
            clients.add(c);
        }
        long start = System.nanoTime();
        hub.close();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        for (TestClient c : clients) {
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_GOING_AWAY);
        }
        assertThat(tookMillis).as("close returns once clients are gone, within the 2 s drain").isLessThan(2000 + 1500);
        assertThat(hub.isAccepting()).isFalse();
        assertThatThrownBy(() -> TestClient.connect(TestHub.ws(hub))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void twoHubsRunSideBySide() {
        try (WsHub a = TestHub.start(cfg -> {}); WsHub b = TestHub.start(cfg -> {})) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.nodeId()).isNotEqualTo(b.nodeId());
        }
    }
}
