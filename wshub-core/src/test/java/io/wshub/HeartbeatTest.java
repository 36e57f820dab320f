package io.wshub;

import io.wshub.protocol.Protocol;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Server pings on client silence; any frame counts as life; silence past the idle timeout closes with 4408. */
class HeartbeatTest {

    @Test
    void aClientThatAnswersPingsStaysAndOneThatCannotIsClosedWith4408() throws IOException {
        Map<String, Integer> closed = new ConcurrentHashMap<>();
        try (WsHub hub = TestHub.configure(cfg -> cfg.pingInterval(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(800)))
                .onClose((c, status) -> closed.put(c.id(), status.code())).start()) {
            // The JDK client answers pings with pongs by itself while it reads.
            TestClient live = TestClient.connect(TestHub.ws(hub));
            String liveId = live.connectedId();
            // A bare socket that never reads or writes cannot answer pings.
            Socket deaf = RawUpgrade.openSilent(hub.port(), "/ws");
            await().atMost(Duration.ofSeconds(10)).until(() -> closed.size() == 1);
            assertThat(closed.values()).containsExactly(Protocol.CLOSE_HEARTBEAT_TIMEOUT);
            live.assertNoMessage(1200); // longer than the idle timeout
            assertThat(closed).doesNotContainKey(liveId);
            assertThat(live.request("ping", null).path("code").asInt()).isZero();
            Instant lastSeen = hub.connection(liveId).orElseThrow().lastSeenAt();
            assertThat(lastSeen).isAfter(hub.connection(liveId).orElseThrow().connectedAt());
            live.close();
            deaf.close();
        }
    }

    @Test
    void emptyFramesAndPingEventsKeepAConnectionAliveWithoutPongs() {
        Map<String, Integer> closed = new ConcurrentHashMap<>();
        // Pings far apart: only the client's own frames can keep it alive.
        try (WsHub hub = TestHub.configure(cfg -> cfg.pingInterval(Duration.ofSeconds(30)).idleTimeout(Duration.ofMillis(600)))
                .onClose((c, status) -> closed.put(c.id(), status.code())).start()) {
            TestClient c = TestClient.connect(TestHub.ws(hub));
            String id = c.connectedId();
            for (int i = 0; i < 8; i++) {
                c.send(i % 2 == 0 ? "" : "{\"event\":\"ping\"}");
                if (i % 2 == 1) {
                    c.next("ping");
                }
                sleep(200);
            }
            assertThat(closed).doesNotContainKey(id);
            await().atMost(Duration.ofSeconds(5)).until(() -> closed.containsKey(id));
            assertThat(closed.get(id)).isEqualTo(Protocol.CLOSE_HEARTBEAT_TIMEOUT);
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_HEARTBEAT_TIMEOUT);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
