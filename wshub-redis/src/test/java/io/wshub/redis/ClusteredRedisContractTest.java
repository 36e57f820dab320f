package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.cluster.BrokerPresenceContract;

/** The broker and presence contract against a real Redis Cluster of three masters and three replicas. */
class ClusteredRedisContractTest extends BrokerPresenceContract {

    @Override
    protected WsConfig install(WsConfig cfg, String cluster) {
        return ClusteredRedis.install(cfg, TestRedisCluster.shared().urls(), RedisCluster.Options.DEFAULTS.withPrefix(cluster));
    }
}
