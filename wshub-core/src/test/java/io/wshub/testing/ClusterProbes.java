package io.wshub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/** Waits on a cluster's plumbing that every engine's tests share: is the broker taking sends, does a route work. */
public final class ClusterProbes {
    private static final AtomicLong PROBES = new AtomicLong();

    private ClusterProbes() {}

    /** Cluster sends the broker could not take ({@code wshub_cluster_publish_failures_total}). */
    public static double publishFailures(WsHub hub) {
        return hub.meterRegistry().get("wshub.cluster.publish.failures").counter().count();
    }

    /** Whether a probe send from {@code hub} reaches the broker (no publish failure counted). */
    public static boolean publishGoesThrough(WsHub hub) {
        double before = publishFailures(hub);
        hub.sendToUser("nobody", "probe", null);
        return publishFailures(hub) == before;
    }

    /** Waits until {@code hub}'s broker takes sends (a node connects to its broker in the background). */
    public static void awaitPublishing(WsHub hub) {
        await().atMost(Duration.ofSeconds(20)).until(() -> publishGoesThrough(hub));
    }

    /** Sends probes from {@code via} until one sent by this call reaches {@code client}. */
    public static void awaitRoute(WsHub via, String user, TestClient client) {
        long first = PROBES.get() + 1;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            via.sendToUser(user, "probe", PROBES.incrementAndGet());
            boolean arrived = false;
            while (client.pending() > 0) {
                JsonNode msg = client.next();
                arrived |= msg.path("event").asText().equals("probe") && msg.path("data").asLong() >= first;
            }
            return arrived;
        });
    }
}
