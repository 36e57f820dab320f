package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.cluster.BrokerPresenceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker and presence contract against one real Redis; each test has its own prefix. */
class RedisContractTest extends BrokerPresenceContract {
    static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected WsConfig install(WsConfig cfg, String cluster) {
        return RedisCluster.install(cfg, redis.url(), RedisCluster.Options.DEFAULTS.withPrefix(cluster));
    }
}
