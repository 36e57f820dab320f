package io.wshub;

import java.time.Instant;
import java.util.Objects;

/**
 * One node's own counters, as it shares them with the cluster ({@code GET /api/nodes},
 * {@link WsHub#nodeStats}). Counts are this node's alone (not cluster-wide as in
 * {@link HubStats}); the rates are messages per second over the node's last sampling window
 * (about a second, see {@code io.wshub.internal.NodeSampler}). {@code heartbeatAt} is when
 * the node wrote this record: another node's record is as old as its last heartbeat.
 */
public record NodeStats(String nodeId, long connections, long users, long messagesIn, long messagesOut,
                        double messagesInPerSecond, double messagesOutPerSecond, Instant startedAt, Instant heartbeatAt) {
    public NodeStats {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    }
}
