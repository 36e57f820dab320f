package io.wshub.cluster;

import io.wshub.WsConfig;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The broker and presence contract against {@link MemoryCluster}. */
class MemoryContractTest extends BrokerPresenceContract {
    private final Map<String, MemoryCluster> clusters = new ConcurrentHashMap<>();

    @Override
    protected WsConfig install(WsConfig cfg, String cluster) {
        return clusters.computeIfAbsent(cluster, name -> new MemoryCluster()).install(cfg);
    }
}
