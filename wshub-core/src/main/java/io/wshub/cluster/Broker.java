package io.wshub.cluster;

import io.wshub.Target;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries sends and kicks between the nodes of a cluster (docs/protocol.md §6). Without a broker the hub
 * is a single node.
 *
 * <h2>Guarantees an implementation must give</h2>
 * <ul>
 *   <li>{@link #publish} never blocks and never buffers without bound: when the bus is down
 *       it returns false at once (the hub counts it) and local delivery is unaffected.</li>
 *   <li>At-most-once delivery to each other node; no ordering across publishers.</li>
 *   <li>A node receives only what it subscribed to, plus {@link Target#ALL} and clients whose
 *       id names it ({@link io.wshub.registry.ClientIds#nodeOf}).</li>
 *   <li>After an outage it resubscribes by itself.</li>
 * </ul>
 *
 * <p>Implementations: {@link MemoryBroker} (hubs of one JVM), {@code RedisBroker},
 * {@code ShardedBroker} and {@code ClusterBroker} in {@code wshub-redis} (Redis pub/sub, one
 * Redis or shards, sharded pub/sub in a Redis Cluster; also keep each publisher's order per
 * target) and {@code NatsBroker} in {@code wshub-nats}. Each passes
 * {@code BrokerPresenceContract} (wshub-core's test jar); a new engine must too.
 */
public interface Broker extends AutoCloseable {

    /** Called once by the hub at start; envelopes from other nodes go to {@code sink}. */
    void start(String nodeId, Sink sink);

    /** This node now has a connection for {@code target} (user or tag): receive its sends. */
    void subscribe(Target target);

    /** This node's last connection for {@code target} left. */
    void unsubscribe(Target target);

    /**
     * Completes once sends to {@code target} published from now on, on any node, reach this
     * node: the hub waits on it before a connection's {@code connected} event and a
     * {@code join} reply (docs/protocol.md §6), so a send made right after them is not lost.
     * {@code target} is one this node subscribed to, {@link Target#ALL}, or a client of this
     * node. Completes at once (or fails) while the bus is down; the hub also stops waiting
     * after a moment. Any thread; never blocks. The default completes at once, which is right
     * for a broker whose {@link #subscribe} takes effect before it returns.
     */
    default CompletionStage<Void> whenSubscribed(Target target) {
        return CompletableFuture.completedFuture(null);
    }

    /** Sends to the other nodes; false when it could not (bus down). Any thread; never blocks. */
    boolean publish(Envelope envelope);

    @Override
    void close();

    /** Receives envelopes from other nodes, on the broker's thread; must not block. */
    @FunctionalInterface
    interface Sink {
        void deliver(Envelope envelope);
    }
}
