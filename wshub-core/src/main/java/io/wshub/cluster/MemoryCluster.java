package io.wshub.cluster;

import io.wshub.WsConfig;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several hubs in one JVM acting as one cluster: what tests and embedded multi-hub setups use
 * instead of Redis. Each hub gets its own {@link MemoryBroker} and {@link MemoryPresence}
 * from the same cluster object (and a {@link MemoryHistory} over shared streams):
 *
 * <pre>{@code
 * MemoryCluster cluster = new MemoryCluster();
 * WsHub a = WsHub.create(cfg -> cluster.install(cfg.nodeId("a").port(8081))).start();
 * WsHub b = WsHub.create(cfg -> cluster.install(cfg.nodeId("b").port(8082))).start();
 * }</pre>
 *
 * <p>{@link #down(boolean)} plays an outage of the bus: publishes fail and presence answers
 * for the asking node only, as the Redis implementations do.
 *
 * <p>Thread-safe: the node maps are concurrent and {@code down} is volatile.
 */
public final class MemoryCluster {
    private final Map<String, MemoryBroker> brokers = new ConcurrentHashMap<>();
    private final Map<String, MemoryPresence> presences = new ConcurrentHashMap<>();
    private volatile boolean down;
    private final MemoryStreams streams = new MemoryStreams(System::nanoTime, this::isDown);

    /** Sets {@code cfg}'s broker and presence to new members of this cluster. */
    public WsConfig install(WsConfig cfg) {
        return cfg.broker(new MemoryBroker(this)).presence(new MemoryPresence(this)).historyEngine(new MemoryHistory(streams));
    }

    /** Plays an outage of the bus (true) or its return (false). */
    public void down(boolean down) {
        this.down = down;
    }

    public boolean isDown() {
        return down;
    }

    /** Ids of the nodes whose presence is started and not closed. */
    public List<String> nodes() {
        return presences.keySet().stream().sorted().toList();
    }

    void join(String nodeId, MemoryBroker broker) {
        if (brokers.putIfAbsent(nodeId, broker) != null) {
            throw new IllegalStateException("node id already in the cluster: " + nodeId);
        }
    }

    void join(String nodeId, MemoryPresence presence) {
        if (presences.putIfAbsent(nodeId, presence) != null) {
            throw new IllegalStateException("node id already in the cluster: " + nodeId);
        }
    }

    void leave(String nodeId, MemoryBroker broker) {
        brokers.remove(nodeId, broker);
    }

    void leave(String nodeId, MemoryPresence presence) {
        presences.remove(nodeId, presence);
    }

    Collection<MemoryBroker> brokers() {
        return brokers.values();
    }

    Collection<MemoryPresence> presences() {
        return presences.values();
    }
}
