package io.wshub.redis;

import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static io.wshub.redis.RedisOutageTest.clientIds;
import static io.wshub.redis.RedisOutageTest.failures;
import static io.wshub.redis.RedisOutageTest.nextOf;
import static io.wshub.redis.RedisOutageTest.nodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Redis shards, one of them killed and restarted while two hubs send: only the users and
 * the presence that hash to the dead shard are affected, and the cluster heals by itself.
 */
class ShardedRedisOutageTest {
    static final RedisCluster.Options FAST = RedisCluster.Options.DEFAULTS.withPresenceTtl(Duration.ofSeconds(3));
    static final RedisKeys KEYS = new RedisKeys("wshub");

    @Test
    void aShardDownAffectsOnlyItsShareAndHeals() {
        try (RedisServer doomed = RedisServer.start(); RedisServer kept = RedisServer.start()) {
            List<String> urls = List.of(doomed.url(), kept.url());
            HashRing<String> ring = new HashRing<>(List.of(name(doomed), name(kept)), Function.identity());
            // Node a keeps its presence on the surviving shard, node b on the doomed one;
            // user "lost..." hashes to the doomed shard, user "safe..." to the other.
            String a = pick("a", n -> ring.shardFor(KEYS.alive(n)).equals(name(kept)));
            String b = pick("b", n -> ring.shardFor(KEYS.alive(n)).equals(name(doomed)));
            String lost = pick("lost", u -> ring.shardFor(KEYS.channel(io.wshub.Target.user(u))).equals(name(doomed)));
            String safe = pick("safe", u -> ring.shardFor(KEYS.channel(io.wshub.Target.user(u))).equals(name(kept)));
            try (WsHub hubA = TestHub.start(cfg -> ShardedRedis.install(cfg.nodeId(a), urls, FAST));
                 WsHub hubB = TestHub.start(cfg -> ShardedRedis.install(cfg.nodeId(b), urls, FAST));
                 TestClient onLost = TestClient.connect(TestHub.ws(hubA, lost));
                 TestClient onSafe = TestClient.connect(TestHub.ws(hubA, safe))) {
                String lostId = onLost.connectedId();
                onSafe.connectedId();
                await().until(() -> doomed.subscribers("wshub:user:" + lost) == 1 && kept.subscribers("wshub:user:" + safe) == 1);
                assertThat(doomed.subscribers("wshub:user:" + safe)).as("a user channel lives on one shard").isZero();
                assertThat(doomed.subscribers("wshub:all")).isEqualTo(2);
                assertThat(kept.subscribers("wshub:all")).isEqualTo(2);
                await().until(() -> nodes(hubA).equals(List.of(a, b).stream().sorted().toList()));
                hubB.sendToUser(lost, "before", 1);
                onLost.next("before");

                doomed.kill();
                await().until(() -> {
                    hubB.sendToUser(lost, "gone", null);
                    return failures(hubB) > 0;
                });
                double failed = failures(hubB);
                for (int i = 0; i < 3; i++) {
                    hubB.sendToUser(safe, "safe", i);
                    assertThat(nextOf(onSafe, "safe").path("data").asInt()).isEqualTo(i);
                }
                // Sends to everyone and to a client id fall back to the surviving shard.
                hubB.sendToAll("everyone", "x");
                nextOf(onSafe, "everyone");
                nextOf(onLost, "everyone");
                hubB.sendToClient(lostId, "direct", "y");
                nextOf(onLost, "direct");
                assertThat(failures(hubB)).isEqualTo(failed);
                // b's presence was on the dead shard: a no longer lists b; b still lists a.
                await().until(() -> nodes(hubA).equals(List.of(a)));
                assertThat(nodes(hubB)).containsExactlyInAnyOrder(a, b);
                assertThat(clientIds(hubB)).contains(lostId);

                doomed.restart();
                await().atMost(Duration.ofSeconds(15)).until(() -> doomed.subscribers("wshub:user:" + lost) == 1
                        && doomed.subscribers("wshub:all") == 2);
                await().atMost(Duration.ofSeconds(15)).until(() -> nodes(hubA).size() == 2);
                hubB.sendToUser(lost, "back", 2);
                assertThat(nextOf(onLost, "back").path("data").asInt()).isEqualTo(2);
            }
        }
    }

    static String name(RedisServer server) {
        return "127.0.0.1:" + server.port;
    }

    /** The first of {@code prefix}0, {@code prefix}1, ... that {@code fits}. */
    static String pick(String prefix, Predicate<String> fits) {
        return IntStream.range(0, 1000).mapToObj(i -> prefix + i).filter(fits).findFirst().orElseThrow();
    }
}
