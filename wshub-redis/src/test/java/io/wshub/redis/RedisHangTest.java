package io.wshub.redis;

import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.wshub.redis.RedisOutageTest.failures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Redis that keeps its connections but never answers (SIGSTOP). */
class RedisHangTest {

    @Test
    void pingsNoticeAHungRedisSoSmallPublishesFailAndTheLinkReconnects() {
        LogCapture log = new LogCapture();
        try (RedisServer redis = RedisServer.start();
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url(), RedisOutageTest.FAST));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            alice.connectedId();
            await().until(() -> redis.subscribers("wshub:user:alice") == 1);
            redis.freeze(true);
            try {
                // Tiny publishes never fill the 16 MiB budget: only the missed PINGs (every
                // second with a 3 s TTL) can make them fail.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    a.sendToUser("bob", "small", 1);
                    return failures(a) > 0;
                });
                assertThat(log.lines("did not answer")).isNotEmpty();
            } finally {
                redis.freeze(false);
            }
            // Reconnected with fresh connections: subscriptions are back and publishes go through.
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("wshub:user:alice") == 1
                    && redis.subscribers("wshub:all") == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> RedisOutageTest.publishGoesThrough(a));
        } finally {
            log.close();
        }
    }

    @Test
    void timedOutPublishesStillCountAgainstTheBudgetUntilRedisAnswers() throws InterruptedException {
        // The default TTL: PINGs every 10 s, so the link stays "up" through this test's hang
        // and only the budget can make publishes fail.
        try (RedisServer redis = RedisServer.start();
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url()));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            alice.connectedId();
            await().until(() -> redis.subscribers("wshub:all") == 1);
            String big = "x".repeat(60_000);
            redis.freeze(true);
            try {
                int sent = 0;
                while (failures(a) == 0 && sent < 1_000) {
                    a.sendToUser("bob", "big", big);
                    sent++;
                }
                assertThat(failures(a)).isPositive();
                // Past the 5 s command timeout: Lettuce still holds every one of those publishes.
                Thread.sleep(7_000);
                double before = failures(a);
                a.sendToUser("bob", "big", big);
                assertThat(failures(a)).isGreaterThan(before);
            } finally {
                redis.freeze(false);
            }
            // Redis answers again: the next answered PING gives the budget back.
            await().atMost(Duration.ofSeconds(40)).until(() -> RedisOutageTest.publishGoesThrough(a));
        }
    }

    @Test
    void theHandshakeWithAHungRedisGivesUpAfterSecondsNotAMinute() {
        LogCapture log = new LogCapture();
        RedisServer redis = RedisServer.start();
        redis.freeze(true);
        try (redis; WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url(), RedisOutageTest.FAST))) {
            // Without a handshake timeout the first attempt would hang for 60 s.
            await().atMost(Duration.ofSeconds(30)).until(() -> log.lines("not reachable").size() >= 2);
            assertThat(a.sendToUser("nobody", "x", null)).isZero();
        } finally {
            redis.freeze(false);
            log.close();
        }
    }

}
