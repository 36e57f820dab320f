package io.wshub.cluster;

import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.NodeStats;
import io.wshub.Page;
import io.wshub.TagCount;
import io.wshub.Target;
import io.wshub.UserCount;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Cluster-wide presence for hubs of one JVM ({@link MemoryCluster}): every query reads the
 * live snapshots of all members, so it needs no notifications and no TTL (a node leaves when
 * its hub closes). While the cluster is {@link MemoryCluster#down down}, answers cover this
 * node only, as the Redis presence does during an outage. Queries complete at once, on the
 * caller's thread; their cost grows with the cluster's connections.
 */
public final class MemoryPresence implements Presence {
    private final MemoryCluster cluster;
    private volatile String nodeId;
    private volatile Supplier<Collection<ClientInfo>> local;
    /** Null until the hub shares its stats; members without one are left out of {@link #nodeStats}. */
    private volatile Supplier<NodeStats> stats;

    MemoryPresence(MemoryCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void start(String nodeId, Supplier<Collection<ClientInfo>> local) {
        this.nodeId = nodeId;
        this.local = local;
        cluster.join(nodeId, this);
    }

    @Override public void connected(ClientInfo client) {}
    @Override public void disconnected(ClientInfo client) {}
    @Override public void changed(ClientInfo client) {}

    @Override
    public CompletionStage<Page<ClientInfo>> clients(ClientQuery query) {
        return done(LocalPresence.page(everyone(true), query));
    }

    @Override
    public CompletionStage<List<UserCount>> users() {
        Map<String, Long> counts = new TreeMap<>();
        for (ClientInfo c : everyone(true)) {
            if (c.userId() != null) {
                counts.merge(c.userId(), 1L, Long::sum);
            }
        }
        return done(counts.entrySet().stream().map(e -> new UserCount(e.getKey(), e.getValue())).toList());
    }

    @Override
    public CompletionStage<List<TagCount>> tags() {
        Map<String, Long> counts = new TreeMap<>();
        for (ClientInfo c : everyone(true)) {
            c.tags().forEach(tag -> counts.merge(tag, 1L, Long::sum));
        }
        return done(counts.entrySet().stream().map(e -> new TagCount(e.getKey(), e.getValue())).toList());
    }

    @Override
    public CompletionStage<Long> countElsewhere(Target target) {
        long n = everyone(false).stream().filter(c -> names(target, c)).count();
        return done(n);
    }

    /** True if {@code target} names connection {@code c}. */
    static boolean names(Target target, ClientInfo c) {
        return switch (target.kind()) {
            case ALL -> true;
            case CLIENT -> c.id().equals(target.id());
            case USER -> target.id().equals(c.userId());
            case TAG -> c.tags().contains(target.id());
        };
    }

    @Override
    public CompletionStage<List<String>> nodes() {
        return done(cluster.isDown() ? List.of(nodeId) : cluster.nodes());
    }

    @Override
    public void shareStats(Supplier<NodeStats> stats) {
        this.stats = stats;
    }

    /** Every member's record is read live from it: each is as fresh as the asking node's own. */
    @Override
    public CompletionStage<List<NodeStats>> nodeStats(NodeStats self) {
        List<NodeStats> all = new ArrayList<>();
        all.add(self);
        if (!cluster.isDown()) {
            for (MemoryPresence other : cluster.presences()) {
                Supplier<NodeStats> s = other.stats;
                if (other != this && s != null) {
                    all.add(s.get());
                }
            }
        }
        all.sort(Comparator.comparing(NodeStats::nodeId));
        return done(List.copyOf(all));
    }

    @Override
    public void close() {
        if (nodeId != null) {
            cluster.leave(nodeId, this);
        }
    }

    /** The connections of every member (or of the others only); this node's alone while down. */
    private List<ClientInfo> everyone(boolean includingThisNode) {
        List<ClientInfo> all = new ArrayList<>();
        if (includingThisNode) {
            all.addAll(local.get());
        }
        if (!cluster.isDown()) {
            for (MemoryPresence other : cluster.presences()) {
                if (other != this) {
                    all.addAll(other.local.get());
                }
            }
        }
        return all;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
