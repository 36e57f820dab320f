package io.wshub.redis;

import io.wshub.WsConfig;

import io.wshub.cluster.Presence;

import java.util.List;
import java.util.function.Function;

/**
 * Cluster mode over several independent Redis instances (docs/cluster.md "Sharded Redis"):
 * users, tags and nodes are spread over the shards by consistent hashing ({@link HashRing}),
 * so the traffic and the presence writes of the cluster divide between them and adding a
 * shard moves only a fraction of the channels.
 *
 * <pre>{@code
 * WsHub hub = WsHub.create(cfg -> ShardedRedis.install(cfg.nodeId("a"),
 *         List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379"))).start();
 * }</pre>
 *
 * <p>Every node must list the same shards (in any order): a shard is known by its
 * {@code host:port}. Each shard gets its own two connections and thread, with the connect,
 * reconnect and outage behaviour of {@link RedisCluster}; a shard that is down affects only the
 * users and tags that hash to it and the presence of the nodes it holds ({@link ShardedBroker},
 * {@link ShardedPresence}). One URL is plain {@link RedisCluster#install}.
 */
public final class ShardedRedis {
    private ShardedRedis() {}

    public static WsConfig install(WsConfig cfg, List<String> redisUrls) {
        return install(cfg, redisUrls, RedisCluster.Options.DEFAULTS);
    }

    /**
     * Sets {@code cfg}'s broker and presence to the Redis instances at {@code redisUrls}.
     *
     * @throws IllegalArgumentException if a URL is not a Redis URL, or one shard is listed twice
     */
    public static WsConfig install(WsConfig cfg, List<String> redisUrls, RedisCluster.Options options) {
        if (redisUrls.isEmpty()) {
            throw new IllegalArgumentException("no Redis URL");
        }
        if (redisUrls.size() == 1) {
            return RedisCluster.install(cfg, redisUrls.get(0), options);
        }
        HashRing<RedisShard> ring = ring(redisUrls, url -> RedisShard.of(url, options));
        return cfg.broker(new ShardedBroker(ring)).presence(new ShardedPresence(ring));
    }

    /**
     * Presence alone in Redis, one instance or several shards, for a cluster whose sends travel
     * over another bus (the NATS broker of {@code wshub-nats}): a node's presence lives on one
     * shard as with {@link #install}, and queries ask them all.
     */
    public static Presence presence(List<String> redisUrls, RedisCluster.Options options) {
        if (redisUrls.isEmpty()) {
            throw new IllegalArgumentException("no Redis URL");
        }
        return new ShardedPresence(ring(redisUrls, url -> RedisShard.presenceOnly(url, options)));
    }

    private static HashRing<RedisShard> ring(List<String> redisUrls, Function<String, RedisShard> shard) {
        if (redisUrls.stream().map(RedisShard::name).distinct().count() < redisUrls.size()) {
            throw new IllegalArgumentException("a Redis shard is listed twice: " + redisUrls);
        }
        return new HashRing<>(redisUrls.stream().map(shard).toList(), RedisShard::name);
    }
}
