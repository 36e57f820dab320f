package io.wshub.redis;

import io.lettuce.core.RedisURI;

/**
 * One Redis of a sharded cluster ({@link ShardedRedis}): its own link (two connections, one
 * thread) with the usual broker and presence on it. Its name, {@code host:port}, places it on
 * the {@link HashRing}, so a password or a database number does not move keys.
 */
record RedisShard(String name, RedisLink link, RedisBroker broker, RedisPresence presence) {

    static RedisShard of(String url, RedisCluster.Options options) {
        RedisLink link = new RedisLink(RedisURI.create(url), options);
        return new RedisShard(name(url), link, new RedisBroker(link), new RedisPresence(link));
    }

    /** A shard that holds presence only (another bus carries the sends): broker is null. */
    static RedisShard presenceOnly(String url, RedisCluster.Options options) {
        RedisLink link = new RedisLink(RedisURI.create(url), options, 1);
        return new RedisShard(name(url), link, null, new RedisPresence(link));
    }

    /** {@code host:port} of a Redis URL. */
    static String name(String url) {
        RedisURI uri = RedisURI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }
}
