package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.cluster.TwoNodeHttpContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two hubs over one real Redis, end to end through the HTTP API. */
class RedisTwoNodeHttpTest extends TwoNodeHttpContract {
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
    protected WsConfig install(WsConfig cfg) {
        return RedisCluster.install(cfg, redis.url());
    }
}
