package io.wshub;

import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Optional per-connection rate limit: 429 replies over it, close 4029 when it keeps going. */
class RateLimitTest {

    @Test
    void overTheRateGets429AndPersistentAbuseIsClosedWith4029() {
        try (WsHub hub = TestHub.start(cfg -> cfg.rateLimit(5, 5));
             TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            for (int i = 0; i < 20; i++) {
                c.send("{\"event\":\"ping\",\"seqno\":\"" + i + "\"}");
            }
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 10; i++) {
                int code = c.next("ping").path("code").asInt();
                if (code == 0) ok++;
                if (code == Protocol.RATE_LIMITED) limited++;
            }
            assertThat(ok).isBetween(5, 6);
            assertThat(limited).isGreaterThanOrEqualTo(4);
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_RATE_LIMITED);
        }
    }
}
