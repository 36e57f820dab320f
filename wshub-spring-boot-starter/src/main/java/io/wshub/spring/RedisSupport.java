package io.wshub.spring;

import io.wshub.WsConfig;
import io.wshub.redis.RedisCluster;

/** Kept apart so the auto-configuration loads without wshub-redis on the classpath. */
final class RedisSupport {
    private RedisSupport() {}

    static void install(WsConfig cfg, String redisUrl) {
        RedisCluster.install(cfg, redisUrl);
    }
}
