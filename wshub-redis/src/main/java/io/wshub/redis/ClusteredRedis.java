package io.wshub.redis;

import io.lettuce.core.RedisURI;
import io.wshub.WsConfig;

import java.util.List;

/**
 * Cluster mode over one Redis Cluster (Redis 7.0 or later; docs/cluster.md "Redis Cluster"):
 * sends travel as sharded pub/sub (SPUBLISH/SSUBSCRIBE), each channel on the master of its slot,
 * so the cluster's masters divide the traffic; presence is {@link RedisPresence} with each
 * node's keys hash-tagged into one slot.
 *
 * <pre>{@code
 * WsHub hub = WsHub.create(cfg -> ClusteredRedis.install(cfg.nodeId("a"),
 *         List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379"))).start();
 * }</pre>
 *
 * <p>The URLs are seed nodes (any of the cluster's nodes, one is enough; list a few so a node
 * can start while one is down); Lettuce discovers the rest and follows failovers. Credentials
 * and TLS of the first URL apply to every node. History streams ({@link RedisHistory}) and the
 * webhook's online store need one Redis and are not available here. The start-up, outage and
 * failover behaviour is that of {@link ClusterLink}.
 */
public final class ClusteredRedis {
    private ClusteredRedis() {}

    public static WsConfig install(WsConfig cfg, List<String> seedUrls) {
        return install(cfg, seedUrls, RedisCluster.Options.DEFAULTS);
    }

    /**
     * Sets {@code cfg}'s broker and presence to the Redis Cluster of {@code seedUrls}.
     *
     * @throws IllegalArgumentException if there is no URL or one is not a Redis URL
     */
    public static WsConfig install(WsConfig cfg, List<String> seedUrls, RedisCluster.Options options) {
        ClusterLink link = new ClusterLink(seedUrls.stream().map(RedisURI::create).toList(), options);
        return cfg.broker(new ClusterBroker(link)).presence(new RedisPresence(link));
    }
}
