package io.wshub.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.NodeStats;
import io.wshub.Page;
import io.wshub.TagCount;
import io.wshub.Target;
import io.wshub.UserCount;
import io.wshub.cluster.LocalPresence;
import io.wshub.cluster.Presence;
import io.wshub.registry.ClientIds;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Cluster-wide {@link Presence} in Redis: each node writes its own connections, user counts and
 * tag counts into three hashes of its own ({@link RedisKeys}), and queries merge every live
 * node's hashes with this node's own state.
 *
 * <h2>Writes: batched, off the event loop</h2>
 * The change notifications only update an in-memory mirror ({@link NodeState}) and mark what
 * changed; the link's thread ({@link PresenceWriter}) writes the changes 50 ms later (later
 * when that thread is busy, e.g. waiting up to 5 s on a reconnect to a hung Redis), one HSET
 * and one HDEL per hash for the whole batch, as absolute values. A write that fails makes the
 * node write its whole state again about 1 s later.
 *
 * <h2>TTL: a dead node leaves within {@link RedisCluster.Options#presenceTtl}</h2>
 * Every third of the TTL the node renews its {@code alive} key and the TTL of its hashes.
 * Queries skip nodes whose {@code alive} key is gone (and drop them from the node set); their
 * hashes expire on their own. A graceful close deletes the node's keys at once.
 *
 * <h2>Outages</h2>
 * Queries never fail: while Redis is down they answer for this node alone. When the command
 * connection comes back (or a refresh finds this node's hashes gone, as after a Redis restart
 * without persistence), the whole state is written again; each hash is replaced atomically
 * (written under a temporary key that expires with the TTL, then renamed by a script only if
 * every chunk arrived), so readers never see half of it.
 *
 * <h2>Threads</h2>
 * Notifications: any thread, never block. Queries decode and combine the answers on Lettuce's
 * computation threads (never on its I/O threads), and complete there, or at once while Redis
 * is down.
 */
public final class RedisPresence implements Presence {
    private final PresenceLink link;
    private final RedisKeys keys;
    private final NodeState state = new NodeState();
    private final AtomicBoolean closed = new AtomicBoolean();
    // Set once by start(), before any notification or query.
    private volatile String nodeId;
    private volatile Supplier<Collection<ClientInfo>> local;
    private volatile PresenceWriter writer;
    /** Set by {@link #shareStats} before start, or never. */
    private volatile Supplier<NodeStats> stats;

    RedisPresence(PresenceLink link) {
        this.link = link;
        this.keys = link.keys();
    }

    @Override
    public void start(String nodeId, Supplier<Collection<ClientInfo>> local) {
        this.nodeId = nodeId;
        this.local = local;
        this.writer = new PresenceWriter(link, state, nodeId, stats);
        link.start(nodeId);
    }

    /**
     * Starts as a reader only, for a shard that does not hold this node's presence
     * ({@link ShardedPresence}): it writes nothing and its queries cover the other nodes.
     */
    void startReader(String nodeId) {
        this.nodeId = nodeId;
        this.local = java.util.List::of;
        link.start(nodeId);
    }

    // ---- notifications (event loops) ------------------------------------------------------

    @Override
    public void connected(ClientInfo client) {
        state.connected(client);
        flushSoon();
    }

    @Override
    public void disconnected(ClientInfo client) {
        state.disconnected(client);
        flushSoon();
    }

    @Override
    public void changed(ClientInfo client) {
        state.changed(client);
        flushSoon();
    }

    private void flushSoon() {
        if (writer != null) {
            writer.scheduleFlush();
        }
    }

    // ---- queries --------------------------------------------------------------------------

    @Override
    public CompletionStage<Page<ClientInfo>> clients(ClientQuery query) {
        return run(clientsQuery(query));
    }

    @Override
    public CompletionStage<List<UserCount>> users() {
        return run(usersQuery());
    }

    @Override
    public CompletionStage<List<TagCount>> tags() {
        return run(tagsQuery());
    }

    @Override
    public CompletionStage<Long> countElsewhere(Target target) {
        return target.kind() == Target.Kind.CLIENT ? clientElsewhere(target.id()) : run(countQuery(target));
    }

    @Override
    public CompletionStage<List<String>> nodes() {
        return run(nodesQuery());
    }

    /** The writer puts the record in this node's alive key: beside the heartbeat, with its TTL. */
    @Override
    public void shareStats(Supplier<NodeStats> stats) {
        this.stats = stats;
    }

    @Override
    public CompletionStage<List<NodeStats>> nodeStats(NodeStats self) {
        return run(nodeStatsQuery(self));
    }

    /**
     * A cluster-wide question: what to ask each other live node's keys, and how to combine the
     * answers with this node's own state. {@link ShardedPresence} asks every shard with
     * {@link #perNode} and combines all their answers once.
     */
    record Query<T, R>(BiFunction<RedisClusterAsyncCommands<String, byte[]>, String, CompletionStage<T>> perNode,
                       Function<List<T>, R> combine) {}

    Query<List<ClientInfo>, Page<ClientInfo>> clientsQuery(ClientQuery query) {
        return new Query<>((r, node) -> r.hgetall(keys.clients(node))
                        .thenApplyAsync(hash -> decodeClients(node, hash), link.computation()),
                others -> {
                    List<ClientInfo> all = new ArrayList<>(local.get());
                    others.forEach(all::addAll);
                    return LocalPresence.page(all, query);
                });
    }

    Query<Map<String, byte[]>, List<UserCount>> usersQuery() {
        return new Query<>((r, node) -> r.hgetall(keys.users(node)),
                others -> sum(state.users, others).entrySet().stream()
                        .map(e -> new UserCount(e.getKey(), e.getValue())).toList());
    }

    Query<Map<String, byte[]>, List<TagCount>> tagsQuery() {
        return new Query<>((r, node) -> r.hgetall(keys.tags(node)),
                others -> sum(state.tags, others).entrySet().stream()
                        .map(e -> new TagCount(e.getKey(), e.getValue())).toList());
    }

    /** Connections {@code target} (a user, tag or everyone) names on the other nodes. */
    Query<Long, Long> countQuery(Target target) {
        return switch (target.kind()) {
            case USER -> new Query<>((r, node) -> r.hget(keys.users(node), target.id()).thenApply(RedisPresence::parse),
                    RedisPresence::total);
            case TAG -> new Query<>((r, node) -> r.hget(keys.tags(node), target.id()).thenApply(RedisPresence::parse),
                    RedisPresence::total);
            case ALL -> new Query<>((r, node) -> r.hlen(keys.clients(node)), RedisPresence::total);
            case CLIENT -> throw new IllegalArgumentException("a client id lives on one node: see clientElsewhere");
        };
    }

    Query<String, List<String>> nodesQuery() {
        return new Query<>((r, node) -> CompletableFuture.completedFuture(node), others -> {
            java.util.SortedSet<String> all = new java.util.TreeSet<>(others);
            all.add(nodeId);
            return List.copyOf(all);
        });
    }

    /** Each other live node's record from its alive key (null if it expired meanwhile), plus {@code self}. */
    Query<NodeStats, List<NodeStats>> nodeStatsQuery(NodeStats self) {
        return new Query<>((r, node) -> r.get(keys.alive(node)).thenApply(value -> NodeStatsJson.decode(node, value)),
                others -> {
                    List<NodeStats> all = new ArrayList<>();
                    all.add(self);
                    others.stream().filter(java.util.Objects::nonNull).forEach(all::add);
                    all.sort(java.util.Comparator.comparing(NodeStats::nodeId));
                    return List.copyOf(all);
                });
    }

    /** 1 if client {@code id} of another node is in that node's presence here, else 0. */
    CompletionStage<Long> clientElsewhere(String id) {
        String node = ClientIds.nodeOf(id);
        RedisClusterAsyncCommands<String, byte[]> r = link.async();
        if (node == null || node.equals(nodeId) || r == null) {
            return CompletableFuture.completedFuture(0L);
        }
        return r.hexists(keys.clients(node), id)
                .thenApply(found -> found ? 1L : 0L)
                .exceptionally(e -> 0L);
    }

    private static List<ClientInfo> decodeClients(String node, Map<String, byte[]> hash) {
        List<ClientInfo> list = new ArrayList<>(hash.size());
        hash.forEach((id, json) -> list.add(PresenceJson.decode(id, node, json)));
        return list;
    }

    private static Map<String, Long> sum(Map<String, Long> here, List<Map<String, byte[]>> others) {
        Map<String, Long> total = new TreeMap<>();
        here.forEach((k, n) -> {
            if (n > 0) {
                total.merge(k, n, Long::sum);
            }
        });
        for (Map<String, byte[]> hash : others) {
            hash.forEach((k, n) -> total.merge(k, parse(n), Long::sum));
        }
        return total;
    }

    private static long total(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    private <T, R> CompletionStage<R> run(Query<T, R> query) {
        return fromOtherNodes(query.perNode()).thenApplyAsync(query.combine(), link.computation());
    }

    /**
     * Asks every other live node's keys with {@code perNode}; with Redis down (or failing) the
     * answer is empty, so a combined result covers this node alone.
     */
    <T> CompletionStage<List<T>> fromOtherNodes(BiFunction<RedisClusterAsyncCommands<String, byte[]>, String, CompletionStage<T>> perNode) {
        RedisClusterAsyncCommands<String, byte[]> r = link.async();
        if (r == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return otherLiveNodes(r).thenCompose(nodes -> {
            List<CompletableFuture<T>> parts = nodes.stream()
                    .map(node -> perNode.apply(r, node).toCompletableFuture()).toList();
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                    .thenApply(v -> parts.stream().map(CompletableFuture::join).toList());
        }).exceptionally(e -> {
            RedisLink.log.debug("node {}: presence query at {} failed, answering without it: {}", nodeId, link.where(), e.toString());
            return List.of();
        });
    }

    /** Lettuce's computation threads of this presence's link, where answers are combined. */
    Executor computation() {
        return link.computation();
    }

    /** Nodes in the node set whose alive key exists, this one excepted; drops the dead ones. */
    private CompletionStage<List<String>> otherLiveNodes(RedisClusterAsyncCommands<String, byte[]> r) {
        return r.smembers(keys.nodes()).thenCompose(members -> {
            Map<String, CompletableFuture<Long>> alive = new TreeMap<>();
            for (byte[] member : members) {
                String node = new String(member, StandardCharsets.UTF_8);
                if (!node.equals(nodeId)) {
                    alive.put(node, r.exists(keys.alive(node)).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(alive.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<String> live = new ArrayList<>();
                alive.forEach((node, exists) -> {
                    if (exists.join() > 0) {
                        live.add(node);
                    } else {
                        r.srem(keys.nodes(), bytes(node));
                    }
                });
                return live;
            });
        });
    }

    // ---- close ----------------------------------------------------------------------------

    /** Deletes this node's keys (waiting up to 3 s for Redis), then releases the link. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            link.release();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long parse(byte[] n) {
        if (n == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(n, StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
