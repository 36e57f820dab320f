package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.cluster.BrokerPresenceContract;
import io.wshub.redis.RedisCluster;
import io.wshub.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** The broker and presence contract against a real nats-server (sends) and Redis (presence). */
class NatsContractTest extends BrokerPresenceContract {
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
    protected WsConfig install(WsConfig cfg, String cluster) {
        return NatsCluster.install(cfg, nats.url(), List.of(redis.url()), RedisCluster.Options.DEFAULTS.withPrefix(cluster));
    }
}
