package io.wshub.redis;

import io.wshub.WsHub;

import java.time.Duration;

/**
 * A clustered hub with webhooks in its own JVM, for tests that kill it: {@code
 * ChildWebhookNode <redisUrl> <nodeId> <presenceTtlMillis> <webhookUrl> <graceMillis>} prints
 * {@code PORT <n>} once listening, then runs until killed.
 */
public final class ChildWebhookNode {
    private ChildWebhookNode() {}

    public static void main(String[] args) throws InterruptedException {
        WsHub hub = WebhookClusterTest.node(args[0], args[1], Duration.ofMillis(Long.parseLong(args[2])), args[3],
                Duration.ofMillis(Long.parseLong(args[4]))).hub();
        System.out.println("PORT " + hub.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
