package io.wshub.redis;

import io.lettuce.core.RedisURI;
import io.wshub.WsConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * Cluster mode over Redis (docs/protocol.md §6): several wshub nodes behind a load balancer act as one hub.
 *
 * <pre>{@code
 * WsHub hub = WsHub.create(cfg -> RedisCluster.install(cfg.nodeId("a"), "redis://127.0.0.1:6379")).start();
 * }</pre>
 *
 * <p>Sends travel over Redis pub/sub ({@link RedisBroker}); presence lives in Redis hashes that
 * each node refreshes and that expire when a node dies ({@link RedisPresence}). The URL is any
 * Lettuce {@link RedisURI}: {@code redis://host:port}, {@code redis://:password@host:port/db},
 * {@code rediss://} for TLS.
 *
 * <p>History streams, when the config has history rules, live in Redis too ({@link RedisHistory}).
 *
 * <p>Nothing connects before the hub starts. {@link io.wshub.WsHub#start()} does not wait for
 * Redis: with Redis down the node serves its own connections, logs one line per connection
 * attempt (backing off up to 10 s), and joins the cluster as soon as Redis answers.
 *
 * <p>Past one Redis: {@link ShardedRedis} spreads the cluster over several instances,
 * {@link ClusteredRedis} over one Redis Cluster;
 * {@code NatsCluster} in {@code wshub-nats} sends over NATS with presence here.
 */
public final class RedisCluster {
    private RedisCluster() {}

    /**
     * Settings of cluster mode.
     *
     * @param presenceTtl how long a node that stops refreshing (killed, cut off) stays in
     *                    presence; each node refreshes every third of it
     * @param prefix      of every Redis channel and key, so several clusters can share a Redis
     */
    public record Options(Duration presenceTtl, String prefix) {
        // 30 s: a dead node is gone from lists within half a minute, while refreshes every
        // 10 s cost next to nothing and ride out a Redis failover of a few seconds.
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(30), "wshub");

        public Options {
            Objects.requireNonNull(prefix, "prefix");
            if (presenceTtl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("presence TTL must be at least 1 s: " + presenceTtl);
            }
            if (prefix.isEmpty()) {
                throw new IllegalArgumentException("prefix must not be empty");
            }
        }

        public Options withPresenceTtl(Duration ttl) { return new Options(ttl, prefix); }
        public Options withPrefix(String prefix) { return new Options(presenceTtl, prefix); }
    }

    /** Sets {@code cfg}'s broker and presence to Redis at {@code redisUrl}, with default options. */
    public static WsConfig install(WsConfig cfg, String redisUrl) {
        return install(cfg, redisUrl, Options.DEFAULTS);
    }

    /**
     * Sets {@code cfg}'s broker and presence to Redis at {@code redisUrl}.
     *
     * @throws IllegalArgumentException if the URL is not a Redis URL
     */
    public static WsConfig install(WsConfig cfg, String redisUrl, Options options) {
        RedisLink link = new RedisLink(RedisURI.create(redisUrl), options);
        RedisBroker broker = new RedisBroker(link);
        return cfg.broker(broker).presence(new RedisPresence(link)).historyEngine(new RedisHistory(link, broker.subscriptions()));
    }
}
