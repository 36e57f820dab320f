package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.cluster.TwoNodeHttpContract;
import io.wshub.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** Two hubs over a real nats-server (sends) and Redis (presence), end to end through the HTTP API. */
class NatsTwoNodeHttpTest extends TwoNodeHttpContract {
    static NatsServer nats;
    static RedisServer redis;

    @BeforeAll
    static void startServers() {
        nats = NatsServer.start();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopServers() {
        nats.close();
        redis.close();
    }

    @Override
    protected WsConfig install(WsConfig cfg) {
        return NatsCluster.install(cfg, nats.url(), List.of(redis.url()));
    }
}
