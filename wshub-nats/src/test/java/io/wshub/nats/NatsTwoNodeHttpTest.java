package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.cluster.TwoNodeHttpContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two hubs over a real nats-server (sends) and Redis (presence), end to end through the HTTP API. */
class NatsTwoNodeHttpTest extends TwoNodeHttpContract {
    @RegisterExtension
    static final NatsStack servers = new NatsStack();

    @Override
    protected WsConfig install(WsConfig cfg) {
        return servers.install(cfg);
    }
}
