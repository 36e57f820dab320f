package io.wshub.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The shard channels a node wants in a Redis Cluster, each SSUBSCRIBEd on the master of its slot
 * ({@link ClusterLink}). As {@link Subscriptions} for one Redis, event loops only count; the
 * link's thread compares what is wanted with what was asked and where.
 *
 * <ul>
 *   <li>One subscription connection per master that owns a wanted channel, opened when the first
 *       such channel is wanted and closed with the last; one SSUBSCRIBE per slot and batch (Redis
 *       refuses channels of several slots in one).</li>
 *   <li>A channel whose slot changed master (topology change), whose connection dropped, whose
 *       SSUBSCRIBE failed (MOVED during a failover, a dead master) or that Redis unsubscribed
 *       (its node lost the slot) is subscribed again on the slot's current master; failures are
 *       retried every second with a topology refresh.</li>
 * </ul>
 *
 * <p>Each channel is subscribed on one connection at a time, so no message arrives twice.
 */
final class ShardChannels {
    private static final long RETRY_MILLIS = 1000;

    private final ClusterLink link;
    private final BiConsumer<String, byte[]> onMessage;
    /** Channel -> subscribe calls minus unsubscribe calls; present only while positive. */
    private final WantedChannels wanted = new WantedChannels();
    /** Channels whose wanted state or home may have changed since the last sync. */
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    /** Channel -> the connection it was SSUBSCRIBEd on. Written on the link's thread. */
    private final Map<String, NodeConnection> asked = new ConcurrentHashMap<>();
    /** Master node id -> this node's subscription connection there. Link thread only. */
    private final Map<String, NodeConnection> connections = new HashMap<>();
    /** Channels Redis confirmed on the connection they were asked on. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    /** A retry is scheduled. Link thread only. */
    private boolean retryScheduled;
    /** Master node ids whose loss was logged, until they serve again. Link thread only. */
    private final Set<String> lostLogged = new HashSet<>();

    ShardChannels(ClusterLink link, BiConsumer<String, byte[]> onMessage) {
        this.link = link;
        this.onMessage = onMessage;
        link.onTopologyChanged(this::resyncAll);
        link.listenPubSub(new Drops());
    }

    /** Any thread; never blocks. */
    void add(String channel) {
        if (wanted.add(channel)) {
            changed(channel);
        }
    }

    /** Any thread; never blocks. */
    void remove(String channel) {
        if (wanted.remove(channel)) {
            active.remove(channel);
            changed(channel);
        }
    }

    /**
     * Completes once the slot's master confirmed {@code channel}, at once if it has; the hub
     * stops waiting after a moment (an outage). Any thread.
     */
    CompletionStage<Void> whenActive(String channel) {
        if (active.contains(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = waiting.computeIfAbsent(channel, c -> new CompletableFuture<>());
        if (active.contains(channel)) {
            waiting.remove(channel, f);
            f.complete(null);
        }
        return f;
    }

    /** Link thread: after the first connect and every topology change, check every home. */
    private void resyncAll() {
        dirty.addAll(wanted.channels());
        dirty.addAll(asked.keySet());
        sync();
    }

    private void changed(String channel) {
        dirty.add(channel);
        if (syncScheduled.compareAndSet(false, true)) {
            link.run(this::sync);
        }
    }

    /** Link thread. */
    private void sync() {
        syncScheduled.set(false);
        Partitions partitions = link.partitions();
        if (partitions == null) {
            return; // resyncAll runs once connected
        }
        Map<NodeConnection, Map<Integer, List<String>>> subscribe = new LinkedHashMap<>();
        List<String> later = new ArrayList<>();
        for (Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
            String channel = it.next();
            it.remove();
            boolean wants = wanted.contains(channel);
            int slot = SlotHash.getSlot(channel);
            RedisClusterNode owner = wants ? partitions.getMasterBySlot(slot) : null;
            NodeConnection current = asked.get(channel);
            if (current != null && (owner == null || !current.nodeId.equals(owner.getNodeId()) || !current.isOpen())) {
                drop(channel, current);
                current = null;
            }
            if (!wants || current != null) {
                continue;
            }
            NodeConnection home = owner == null ? null : connection(owner);
            if (home == null) {
                later.add(channel); // no master known for the slot yet, or it cannot be reached
                continue;
            }
            asked.put(channel, home);
            home.channels.add(channel);
            subscribe.computeIfAbsent(home, n -> new HashMap<>()).computeIfAbsent(slot, s -> new ArrayList<>()).add(channel);
        }
        subscribe.forEach((home, bySlot) -> bySlot.values().forEach(channels ->
                home.connection.async().ssubscribe(channels.toArray(String[]::new)).whenComplete((ok, error) -> {
                    if (error != null) {
                        link.run(() -> failed(home, channels, error));
                    }
                })));
        if (!later.isEmpty()) {
            dirty.addAll(later);
            retryLater();
        }
    }

    /** The open connection to {@code owner}, connecting if needed; null if it cannot be reached. */
    private NodeConnection connection(RedisClusterNode owner) {
        NodeConnection n = connections.get(owner.getNodeId());
        if (n != null && n.isOpen()) {
            return n;
        }
        if (n != null) {
            forget(n); // closed under us: its channels go dirty again
        }
        try {
            n = new NodeConnection(owner.getNodeId(), link.connectPubSub(owner));
        } catch (RedisException e) {
            if (lostLogged.add(owner.getNodeId())) {
                RedisLink.log.warn("node {}: redis cluster master {} ({}) not reachable ({}); its sends to this node wait for a failover",
                        link.nodeId(), owner.getUri(), owner.getNodeId(), RedisLink.rootMessage(e));
            }
            link.refreshTopology();
            return null;
        }
        lostLogged.remove(owner.getNodeId());
        n.connection.addListener(n);
        connections.put(n.nodeId, n);
        return n;
    }

    /** Link thread: {@code channel} leaves {@code n}; the connection closes with its last channel. */
    private void drop(String channel, NodeConnection n) {
        asked.remove(channel, n);
        active.remove(channel);
        n.channels.remove(channel);
        if (n.channels.isEmpty()) {
            connections.remove(n.nodeId, n);
            n.connection.closeAsync();
        } else if (n.isOpen()) {
            // A failure leaves an unwanted subscription: harmless, and gone with the connection.
            n.connection.async().sunsubscribe(channel);
        }
    }

    /** Link thread: {@code n} is gone; its channels go to their slots' current masters. */
    private void lost(NodeConnection n) {
        if (forget(n)) {
            link.refreshTopology();
        }
    }

    /** Link thread: drops {@code n} and marks its channels for the next sync (scheduled). */
    private boolean forget(NodeConnection n) {
        if (!connections.remove(n.nodeId, n)) {
            return false;
        }
        for (String channel : n.channels) {
            asked.remove(channel, n);
            active.remove(channel);
            dirty.add(channel);
        }
        n.channels.clear();
        n.connection.closeAsync();
        if (syncScheduled.compareAndSet(false, true)) {
            link.run(this::sync);
        }
        return true;
    }

    /** Link thread: SSUBSCRIBE refused or lost (MOVED mid-failover, connection gone). */
    private void failed(NodeConnection n, List<String> channels, Throwable error) {
        RedisLink.log.debug("node {}: SSUBSCRIBE {} on {} failed: {}", link.nodeId(), channels, n.nodeId, error.toString());
        for (String channel : channels) {
            if (asked.remove(channel, n)) {
                n.channels.remove(channel);
                dirty.add(channel);
            }
        }
        if (n.channels.isEmpty() && connections.remove(n.nodeId, n)) {
            n.connection.closeAsync();
        }
        link.refreshTopology();
        retryLater();
    }

    private void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            link.schedule(() -> {
                retryScheduled = false;
                sync();
            }, RETRY_MILLIS);
        }
    }

    /** One subscription connection to one master, and its notifications (Lettuce's I/O thread). */
    private final class NodeConnection extends RedisPubSubAdapter<String, byte[]> {
        final String nodeId;
        final StatefulRedisPubSubConnection<String, byte[]> connection;
        /** The channels asked here. Link thread only. */
        final Set<String> channels = new HashSet<>();

        NodeConnection(String nodeId, StatefulRedisPubSubConnection<String, byte[]> connection) {
            this.nodeId = nodeId;
            this.connection = connection;
        }

        boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void smessage(String channel, byte[] message) {
            onMessage.accept(channel, message);
        }

        @Override
        public void ssubscribed(String channel, long count) {
            if (asked.get(channel) == this) {
                active.add(channel);
                CompletableFuture<Void> f = waiting.remove(channel);
                if (f != null) {
                    f.complete(null);
                }
            }
        }

        /** Ours after a drop; otherwise Redis ended it because this node lost the slot. */
        @Override
        public void sunsubscribed(String channel, long count) {
            link.run(() -> {
                if (asked.get(channel) == this && wanted.contains(channel)) {
                    asked.remove(channel, this);
                    channels.remove(channel);
                    active.remove(channel);
                    dirty.add(channel);
                    link.refreshTopology();
                    retryLater();
                }
            });
        }

        @Override
        public void message(String channel, byte[] message) {
            // Only shard channels are subscribed here.
        }
    }

    /** A subscription connection dropped (Lettuce's thread): replace it on the link's thread. */
    private final class Drops implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            link.run(() -> {
                for (NodeConnection n : List.copyOf(connections.values())) {
                    if (n.connection == connection) {
                        if (!n.channels.isEmpty() && lostLogged.add(n.nodeId)) {
                            RedisLink.log.warn("node {}: lost redis cluster master {}; its shard channels move to the slots' masters",
                                    link.nodeId(), n.nodeId);
                        }
                        lost(n);
                    }
                }
            });
        }
    }
}
