package io.wshub.nats;

import io.wshub.WsConfig;
import io.wshub.cluster.Presence;
import io.wshub.redis.RedisCluster;
import io.wshub.redis.ShardedRedis;

import java.util.List;

/**
 * Cluster mode with NATS carrying the sends between nodes and Redis holding presence
 * (docs/cluster.md "NATS"):
 *
 * <pre>{@code
 * WsHub hub = WsHub.create(cfg -> NatsCluster.install(cfg.nodeId("a"), "nats://127.0.0.1:4222",
 *         List.of("redis://127.0.0.1:6379"))).start();
 * }</pre>
 *
 * <p>Sends: {@link NatsBroker}. Presence: the Redis presence of {@code wshub-redis} on one Redis
 * or on several shards ({@link ShardedRedis#presence}); it writes batched changes and renews a
 * TTL per node, which NATS core cannot hold and JetStream KV would turn into one write per
 * connection per renewal (docs/cluster.md says why and what it costs). Nothing connects before
 * the hub starts; {@link io.wshub.WsHub#start()} waits for neither server.
 */
public final class NatsCluster {
    private NatsCluster() {}

    /** Sends over NATS at {@code natsUrl}, presence in Redis at {@code redisUrls}, default options. */
    public static WsConfig install(WsConfig cfg, String natsUrl, List<String> redisUrls) {
        return install(cfg, natsUrl, redisUrls, RedisCluster.Options.DEFAULTS);
    }

    /**
     * Sends over NATS at {@code natsUrl} (subjects under {@code options.prefix()}), presence in
     * Redis at {@code redisUrls} with {@code options}.
     *
     * @throws IllegalArgumentException if a URL is bad or the prefix is not a NATS subject prefix
     */
    public static WsConfig install(WsConfig cfg, String natsUrl, List<String> redisUrls, RedisCluster.Options options) {
        NatsBroker broker = new NatsBroker(natsUrl, options.prefix());
        Presence presence = ShardedRedis.presence(redisUrls, options);
        return cfg.broker(broker).presence(presence);
    }
}
