package io.wshub.cluster;

import io.wshub.Target;
import io.wshub.registry.ClientIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Broker} between hubs of one JVM ({@link MemoryCluster}). A publish hands the
 * envelope straight to the sink of every other node that wants it, on the publisher's thread
 * (the sinks only queue writes, so this never blocks). Routing is the same as over Redis: a
 * node gets {@link Target#ALL}, its own client ids, and the users and tags it subscribed to.
 */
public final class MemoryBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(MemoryBroker.class);

    private final MemoryCluster cluster;
    /**
     * Subscribe/unsubscribe calls per target. A count, not a set, because the hub's calls for
     * one target may arrive out of order from two event loops; the sum is right either way.
     */
    private final Map<Target, Integer> subscriptions = new ConcurrentHashMap<>();
    private volatile String nodeId;
    private volatile Sink sink;
    private volatile boolean closed;

    MemoryBroker(MemoryCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void start(String nodeId, Sink sink) {
        this.nodeId = nodeId;
        this.sink = sink;
        cluster.join(nodeId, this);
    }

    @Override
    public void subscribe(Target target) {
        subscriptions.merge(target, 1, Integer::sum);
    }

    @Override
    public void unsubscribe(Target target) {
        subscriptions.computeIfPresent(target, (t, n) -> n == 1 ? null : n - 1);
    }

    @Override
    public boolean publish(Envelope envelope) {
        if (closed || cluster.isDown()) {
            return false;
        }
        for (MemoryBroker other : cluster.brokers()) {
            if (other != this && other.wants(envelope.target())) {
                other.deliver(envelope);
            }
        }
        return true;
    }

    boolean wants(Target target) {
        return switch (target.kind()) {
            case ALL -> true;
            case CLIENT -> nodeId.equals(ClientIds.nodeOf(target.id()));
            case USER, TAG -> subscriptions.containsKey(target);
        };
    }

    private void deliver(Envelope envelope) {
        try {
            sink.deliver(envelope);
        } catch (RuntimeException e) {
            log.warn("node {} failed to deliver {}: {}", nodeId, envelope.target(), e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (nodeId != null) {
            cluster.leave(nodeId, this);
        }
    }
}
