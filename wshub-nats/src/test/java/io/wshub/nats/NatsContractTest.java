package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.cluster.BrokerPresenceContract;
import io.wshub.redis.RedisCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker and presence contract against a real nats-server (sends) and Redis (presence). */
class NatsContractTest extends BrokerPresenceContract {
    @RegisterExtension
    static final NatsStack servers = new NatsStack();

    @Override
    protected WsConfig install(WsConfig cfg, String cluster) {
        return servers.install(cfg, RedisCluster.Options.DEFAULTS.withPrefix(cluster));
    }
}
