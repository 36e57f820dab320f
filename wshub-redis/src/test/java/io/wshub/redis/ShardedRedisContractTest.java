package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.cluster.BrokerPresenceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** The broker and presence contract against two real Redis shards ({@link ShardedRedis}). */
class ShardedRedisContractTest extends BrokerPresenceContract {
    static RedisServer one;
    static RedisServer two;

    @BeforeAll
    static void startRedis() {
        one = RedisServer.start();
        two = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        one.close();
        two.close();
    }

    @Override
    protected WsConfig install(WsConfig cfg, String cluster) {
        return ShardedRedis.install(cfg, List.of(one.url(), two.url()), RedisCluster.Options.DEFAULTS.withPrefix(cluster));
    }
}
