package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.cluster.ConnectedRaceContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No race after {@code connected} over NATS ({@link ConnectedRaceContract}): the broker's
 * {@code whenSubscribed} holds the event until one PING round trip proved the SUBs applied.
 */
class NatsConnectedRaceTest extends ConnectedRaceContract {
    @RegisterExtension
    static final NatsStack servers = new NatsStack();

    @Override
    protected WsConfig install(WsConfig cfg) {
        return servers.install(cfg);
    }
}
