package io.wshub.redis;

import io.wshub.WsHub;
import io.wshub.testing.TestHub;

import java.time.Duration;

/**
 * A hub in its own JVM, for tests that kill a node for real: {@code ChildNode <redisUrl>
 * <nodeId> <presenceTtlMillis>} prints {@code PORT <n>} once listening, then runs until killed.
 */
public final class ChildNode {
    private ChildNode() {}

    public static void main(String[] args) throws InterruptedException {
        RedisCluster.Options options = RedisCluster.Options.DEFAULTS.withPresenceTtl(Duration.ofMillis(Long.parseLong(args[2])));
        WsHub hub = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId(args[1]), args[0], options));
        System.out.println("PORT " + hub.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
