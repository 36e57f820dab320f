package io.wshub.hostile;

import io.wshub.WsHub;
import io.wshub.testing.LogCapture;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One hub per class of hostile input. After the class: the hub still serves a fresh client,
 * its connection count is back where it started, and nothing a client did was logged at WARN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileSuite {
    /** Small, so oversize cases stay cheap. */
    static final int MAX_MESSAGE = 4096;

    WsHub hub;
    LogCapture log;

    @BeforeAll
    void startHub() {
        log = new LogCapture();
        hub = TestHub.start(cfg -> cfg.maxMessageBytes(MAX_MESSAGE).drainTimeout(Duration.ofSeconds(1)));
    }

    @AfterAll
    void hubIsStillHealthy() {
        try {
            try (TestClient fresh = TestClient.connect(TestHub.ws(hub, "fresh"))) {
                fresh.connectedId();
                assertThat(fresh.request("ping", null).path("code").asInt()).isZero();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(hub.stats().toCompletableFuture().join().connections()).isZero());
            assertThat(log.warnings()).as("WARN lines caused by clients").isEmpty();
        } finally {
            hub.close();
            log.close();
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
