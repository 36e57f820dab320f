package io.wshub.redis;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.WsHub;
import io.wshub.testing.ClusterProbes;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis going away and coming back: local delivery never stops, the cluster heals by itself. */
class RedisOutageTest {
    static final RedisCluster.Options FAST = RedisCluster.Options.DEFAULTS.withPresenceTtl(Duration.ofSeconds(3));

    @Test
    void aRedisRestartNeverStopsLocalDeliveryAndCrossNodeSendsResume() {
        try (RedisServer redis = RedisServer.start();
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url(), FAST));
             WsHub b = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("b"), redis.url(), FAST));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"));
             TestClient bob = TestClient.connect(TestHub.ws(b, "bob"))) {
            alice.connectedId();
            bob.connectedId();
            await().until(() -> redis.subscribers("wshub:user:alice") == 1 && redis.subscribers("wshub:user:bob") == 1);
            b.sendToUser("alice", "before", 0);
            alice.next("before");

            redis.kill();
            await().until(() -> {
                b.sendToUser("alice", "lost", null);
                return failures(b) > 0;
            });
            for (int i = 0; i < 3; i++) {
                assertThat(b.sendToUser("bob", "local", i)).isEqualTo(1);
                assertThat(bob.next("local").path("data").asInt()).isEqualTo(i);
            }
            assertThat(nodes(b)).containsExactly("b");

            try (TestClient carol = TestClient.connect(TestHub.ws(a, "carol"))) {
                String carolId = carol.connectedId(); // connected during the outage
                long restarted = System.nanoTime();
                redis.restart();
                await().atMost(Duration.ofSeconds(15)).until(() -> redis.subscribers("wshub:user:alice") == 1
                        && redis.subscribers("wshub:user:carol") == 1 && redis.subscribers("wshub:all") == 2);
                long resubscribedMillis = (System.nanoTime() - restarted) / 1_000_000;
                await().atMost(Duration.ofSeconds(15)).until(() -> clientIds(b).contains(carolId));
                long republishedMillis = (System.nanoTime() - restarted) / 1_000_000;
                System.out.printf("after the Redis restart: resubscribed in %d ms, presence republished in %d ms%n",
                        resubscribedMillis, republishedMillis);

                double failed = failures(b);
                b.sendToUser("alice", "back", 1);
                nextOf(alice, "back");
                b.sendToUser("carol", "hello", 2);
                nextOf(carol, "hello");
                assertThat(failures(b)).isEqualTo(failed);
                assertThat(nodes(a)).containsExactly("a", "b");
            }
        }
    }

    @Test
    void aHungRedisMakesPublishesFailInsteadOfPilingUp() {
        try (RedisServer redis = RedisServer.start();
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url(), FAST));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            alice.connectedId();
            await().until(() -> redis.subscribers("wshub:all") == 1);
            String big = "x".repeat(60_000);
            redis.freeze(true);
            try {
                int sent = 0;
                // 16 MiB of unanswered publishes is the limit: about 280 of these.
                while (failures(a) == 0 && sent < 10_000) {
                    assertThat(a.sendToUser("alice", "big", big)).isEqualTo(1); // local delivery goes on
                    alice.next("big");
                    sent++;
                }
                assertThat(failures(a)).isPositive();
                assertThat(sent).isLessThan(1_000);
            } finally {
                redis.freeze(false);
            }
            await().until(() -> publishGoesThrough(a));
        }
    }

    @Test
    void aNodeStartsWithRedisDownServesLocallyAndJoinsWhenRedisComes() {
        LogCapture log = new LogCapture();
        RedisServer redis = RedisServer.notStarted();
        try (redis;
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url(), FAST));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            alice.connectedId();
            assertThat(a.sendToUser("alice", "local", 1)).isEqualTo(1);
            alice.next("local");
            await().until(() -> log.lines("not reachable").size() >= 2);
            assertThat(log.lines("not reachable")).allSatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getThrowableProxy()).isNull();
                assertThat(e.getFormattedMessage()).contains("redis://127.0.0.1:" + redis.port, "attempt");
            });

            redis.restart();
            try (WsHub b = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("b"), redis.url(), FAST))) {
                await().until(() -> redis.subscribers("wshub:user:alice") == 1 && nodes(b).equals(List.of("a", "b")));
                b.sendToUser("alice", "from-b", 2);
                assertThat(alice.next("from-b").path("data").asInt()).isEqualTo(2);
            }
        } finally {
            log.close();
        }
    }

    /** The next message with {@code event}, skipping others (sends made during the outage may or may not arrive). */
    static JsonNode nextOf(TestClient client, String event) {
        return client.nextOf(event);
    }

    static double failures(WsHub hub) {
        return ClusterProbes.publishFailures(hub);
    }

    static boolean publishGoesThrough(WsHub hub) {
        return ClusterProbes.publishGoesThrough(hub);
    }

    static List<String> nodes(WsHub hub) {
        return hub.stats().toCompletableFuture().join().nodes();
    }

    static List<String> clientIds(WsHub hub) {
        return hub.clients(ClientQuery.all()).toCompletableFuture().join().list().stream().map(ClientInfo::id).toList();
    }
}
