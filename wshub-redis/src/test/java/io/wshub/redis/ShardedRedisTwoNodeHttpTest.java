package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.cluster.TwoNodeHttpContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** Two hubs over three real Redis shards, end to end through the HTTP API. */
class ShardedRedisTwoNodeHttpTest extends TwoNodeHttpContract {
    static List<RedisServer> shards;

    @BeforeAll
    static void startRedis() {
        shards = List.of(RedisServer.start(), RedisServer.start(), RedisServer.start());
    }

    @AfterAll
    static void stopRedis() {
        shards.forEach(RedisServer::close);
    }

    @Override
    protected WsConfig install(WsConfig cfg) {
        return ShardedRedis.install(cfg, shards.stream().map(RedisServer::url).toList());
    }
}
