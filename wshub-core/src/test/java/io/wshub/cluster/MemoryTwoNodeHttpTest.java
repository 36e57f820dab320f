package io.wshub.cluster;

import io.wshub.WsConfig;

/** Two hubs over one {@link MemoryCluster}, end to end through the HTTP API. */
class MemoryTwoNodeHttpTest extends TwoNodeHttpContract {
    private final MemoryCluster cluster = new MemoryCluster();

    @Override
    protected WsConfig install(WsConfig cfg) {
        return cluster.install(cfg);
    }
}
