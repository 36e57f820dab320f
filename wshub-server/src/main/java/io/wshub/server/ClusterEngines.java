package io.wshub.server;

import io.wshub.WsConfig;
import io.wshub.nats.NatsCluster;
import io.wshub.redis.ClusteredRedis;
import io.wshub.redis.RedisCluster;
import io.wshub.redis.ShardedRedis;

import java.util.List;

/**
 * Picks the cluster engine from the settings (docs/cluster.md "When to use which"):
 *
 * <ul>
 *   <li>no {@code --redis-url}, no {@code --nats-url}: a single node, in-memory;</li>
 *   <li>one {@code --redis-url}: sends and presence in that Redis;</li>
 *   <li>several: independent Redis shards on a consistent-hash ring;</li>
 *   <li>{@code --redis-cluster}: the URLs are seed nodes of one Redis Cluster (sharded pub/sub);</li>
 *   <li>{@code --nats-url}: sends over NATS, presence in the Redis of {@code --redis-url}
 *       (one or several shards), which is then required.</li>
 * </ul>
 */
final class ClusterEngines {
    private ClusterEngines() {}

    static void install(WsConfig cfg, Settings s) {
        List<String> redis = s.redisUrl == null ? List.of() : s.redisUrl;
        if (Boolean.TRUE.equals(s.redisCluster)) {
            if (redis.isEmpty() || s.natsUrl != null) {
                throw new IllegalArgumentException("--redis-cluster needs --redis-url (seed nodes of the cluster) and no --nats-url");
            }
            ClusteredRedis.install(cfg, redis);
        } else if (s.natsUrl != null) {
            if (redis.isEmpty()) {
                throw new IllegalArgumentException("--nats-url carries the sends; presence needs --redis-url as well");
            }
            NatsCluster.install(cfg, s.natsUrl, redis);
        } else if (redis.size() == 1) {
            RedisCluster.install(cfg, redis.get(0));
        } else if (!redis.isEmpty()) {
            ShardedRedis.install(cfg, redis);
        }
    }
}
