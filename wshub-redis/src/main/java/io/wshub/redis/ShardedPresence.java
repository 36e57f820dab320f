package io.wshub.redis;

import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.NodeStats;
import io.wshub.Page;
import io.wshub.TagCount;
import io.wshub.Target;
import io.wshub.UserCount;
import io.wshub.cluster.Presence;
import io.wshub.registry.ClientIds;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Cluster-wide {@link Presence} over several Redis instances ({@link ShardedRedis}). A node's
 * presence is one unit (its keys, see {@link RedisKeys}) that lives on the shard the
 * {@link HashRing} gives the node's id: there the node writes exactly as {@link RedisPresence}
 * does. A query asks every shard for the nodes it holds and combines all the answers once.
 *
 * <p>A shard that is down drops out of the answers: the nodes whose presence it holds are
 * missing from lists until it returns (their connections and sends are not affected), and
 * this node's own connections are always listed.
 *
 * <p>Threads: as {@link RedisPresence}; answers are combined on the home shard's Lettuce
 * computation threads.
 */
final class ShardedPresence implements Presence {
    private final HashRing<RedisShard> ring;
    private final RedisKeys keys;
    // Set once by start(), before any notification or query.
    private volatile RedisPresence home;
    /** Set by {@link #shareStats} before start, or never; handed to the home shard at start. */
    private volatile Supplier<NodeStats> stats;

    ShardedPresence(HashRing<RedisShard> ring) {
        this.ring = ring;
        this.keys = ring.shards().get(0).link().keys;
    }

    /** The shard holding the presence of {@code nodeId}. */
    RedisShard homeOf(String nodeId) {
        return ring.shardFor(keys.alive(nodeId));
    }

    @Override
    public void start(String nodeId, Supplier<Collection<ClientInfo>> local) {
        RedisShard mine = homeOf(nodeId);
        for (RedisShard shard : ring.shards()) {
            if (shard == mine) {
                if (stats != null) {
                    shard.presence().shareStats(stats);
                }
                shard.presence().start(nodeId, local);
            } else {
                shard.presence().startReader(nodeId);
            }
        }
        home = mine.presence();
    }

    @Override public void connected(ClientInfo client) { home.connected(client); }
    @Override public void disconnected(ClientInfo client) { home.disconnected(client); }
    @Override public void changed(ClientInfo client) { home.changed(client); }

    @Override
    public CompletionStage<Page<ClientInfo>> clients(ClientQuery query) {
        return acrossShards(home.clientsQuery(query));
    }

    @Override
    public CompletionStage<List<UserCount>> users() {
        return acrossShards(home.usersQuery());
    }

    @Override
    public CompletionStage<List<TagCount>> tags() {
        return acrossShards(home.tagsQuery());
    }

    @Override
    public CompletionStage<Long> countElsewhere(Target target) {
        if (target.kind() == Target.Kind.CLIENT) {
            String node = ClientIds.nodeOf(target.id());
            return node == null ? CompletableFuture.completedFuture(0L)
                    : homeOf(node).presence().clientElsewhere(target.id());
        }
        return acrossShards(home.countQuery(target));
    }

    @Override
    public CompletionStage<List<String>> nodes() {
        return acrossShards(home.nodesQuery());
    }

    /** Only the home shard writes this node's stats (with the rest of its presence). */
    @Override
    public void shareStats(Supplier<NodeStats> stats) {
        this.stats = stats;
    }

    @Override
    public CompletionStage<List<NodeStats>> nodeStats(NodeStats self) {
        return acrossShards(home.nodeStatsQuery(self));
    }

    private <T, R> CompletionStage<R> acrossShards(RedisPresence.Query<T, R> query) {
        List<CompletableFuture<List<T>>> parts = ring.shards().stream()
                .map(shard -> shard.presence().fromOtherNodes(query.perNode()).toCompletableFuture()).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<T> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            return query.combine().apply(all);
        }, home.computation());
    }

    @Override
    public void close() {
        ring.shards().forEach(shard -> shard.presence().close());
    }
}
