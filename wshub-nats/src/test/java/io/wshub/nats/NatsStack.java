package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.redis.RedisCluster;
import io.wshub.redis.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * A real nats-server (sends) and Redis (presence) for one test class, the NATS engine's two
 * parts: {@code @RegisterExtension static final NatsStack servers = new NatsStack();} starts them
 * before the class and kills them after it.
 */
final class NatsStack implements BeforeAllCallback, AfterAllCallback {
    private NatsServer nats;
    private RedisServer redis;

    @Override
    public void beforeAll(ExtensionContext context) {
        nats = NatsServer.start();
        redis = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            nats.close();
        } finally {
            redis.close();
        }
    }

    /** Makes {@code cfg} a node of this stack's cluster. */
    WsConfig install(WsConfig cfg) {
        return NatsCluster.install(cfg, nats.url(), List.of(redis.url()));
    }

    /** The same, with Redis options (a key prefix per cluster, say). */
    WsConfig install(WsConfig cfg, RedisCluster.Options options) {
        return NatsCluster.install(cfg, nats.url(), List.of(redis.url()), options);
    }
}
