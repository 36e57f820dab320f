package io.wshub.redis;

import io.wshub.Target;
import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.cluster.TwoNodeHttpContract;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two hubs over a real Redis Cluster, end to end through the HTTP API. */
class ClusteredRedisTwoNodeHttpTest extends TwoNodeHttpContract {
    static final RedisKeys KEYS = new RedisKeys("wshub", true);

    @Override
    protected WsConfig install(WsConfig cfg) {
        return ClusteredRedis.install(cfg, TestRedisCluster.shared().urls());
    }

    /**
     * Slot-aware: a user's shard channel is subscribed on the master of its slot and nowhere
     * else, only while the user is connected; everyone's channel by both nodes on its master.
     */
    @Test
    void eachChannelIsSubscribedOnTheMasterOfItsSlotOnlyWhileNeeded() {
        TestRedisCluster cluster = TestRedisCluster.shared();
        String all = KEYS.channel(Target.ALL);
        String user = KEYS.channel(Target.user("carol"));
        try (WsHub a = TestHub.start(cfg -> install(cfg.nodeId("sa")));
             WsHub b = TestHub.start(cfg -> install(cfg.nodeId("sb")))) {
            await().until(() -> cluster.shardSubscribers(all).equals(only(cluster, cluster.masterOf(all), 2L)));
            try (TestClient carol = TestClient.connect(TestHub.ws(a, "carol"))) {
                carol.connectedId();
                await().until(() -> cluster.shardSubscribers(user).equals(only(cluster, cluster.masterOf(user), 1L)));
                b.sendToUser("carol", "hello", 1); // the route is confirmed by Redis: it arrives
                assertThat(carol.next("hello").path("data").asInt()).isEqualTo(1);
            }
            await().until(() -> cluster.shardSubscribers(user).stream().allMatch(n -> n == 0));
        }
    }

    /** {@code count} on {@code master}'s place in the node list, 0 on every other node. */
    private static List<Long> only(TestRedisCluster cluster, RedisServer master, long count) {
        List<Long> expected = new ArrayList<>();
        cluster.nodes.forEach(n -> expected.add(n == master ? count : 0L));
        return expected;
    }
}
