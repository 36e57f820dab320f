package io.wshub.cluster;

import io.wshub.ClientInfo;
import io.wshub.NodeStats;
import io.wshub.Target;
import io.wshub.ClientQuery;
import io.wshub.Page;
import io.wshub.TagCount;
import io.wshub.UserCount;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Who is connected where (docs/protocol.md §3 and §6). The default, {@link LocalPresence}, answers from this
 * node's registry; a cluster implementation answers for every node.
 *
 * <h2>Guarantees an implementation must give</h2>
 * <ul>
 *   <li>The change notifications ({@link #connected}, {@link #disconnected}, {@link #changed})
 *       are called from event loops: they never block.</li>
 *   <li>Queries never block the caller; they complete on another thread or at once.</li>
 *   <li>A node that dies leaves every list within a bounded time (its TTL).</li>
 *   <li>After an outage the node's whole state is published again, from {@code local}.</li>
 *   <li>An engine that shares node stats ({@link #shareStats}) lists a node's record only
 *       while the node is live, and writes it beside its heartbeat, off the event loops.</li>
 * </ul>
 *
 * <p>Implementations: {@link LocalPresence} (single node), {@link MemoryPresence} (hubs of
 * one JVM), {@code RedisPresence} (one Redis, or a Redis Cluster with each node's keys in one
 * slot) and {@code ShardedPresence} in {@code wshub-redis} (per-node
 * hashes with a TTL, in one Redis or on the shard of each node; while Redis is down, queries
 * answer for this node instead of failing). Each passes {@code BrokerPresenceContract}.
 */
public interface Presence extends AutoCloseable {

    /** Called once by the hub at start; {@code local} snapshots this node's connections. */
    void start(String nodeId, Supplier<Collection<ClientInfo>> local);

    void connected(ClientInfo client);

    void disconnected(ClientInfo client);

    /** The client's tags changed. */
    void changed(ClientInfo client);

    CompletionStage<Page<ClientInfo>> clients(ClientQuery query);

    CompletionStage<List<UserCount>> users();

    CompletionStage<List<TagCount>> tags();

    /** Connections {@code target} names on nodes other than this one. */
    CompletionStage<Long> countElsewhere(Target target);

    /** Ids of the live nodes, this one included. */
    CompletionStage<List<String>> nodes();

    /**
     * Called by the hub once, before {@link #start}: {@code stats} makes a fresh record of
     * this node's counters (any thread, never blocks). An engine that keeps a heartbeat per
     * node writes the record with it, so that {@link #nodeStats} on other nodes can list it.
     * The default shares nothing.
     */
    default void shareStats(Supplier<NodeStats> stats) {}

    /**
     * The stats of every live node, sorted by node id: {@code self} (this node's fresh record)
     * and the latest record each other live node wrote. A node that dies leaves the list within
     * the same bounded time as it leaves {@link #nodes}. While the engine is unreachable the
     * answer is {@code self} alone. The default answers {@code self} alone: an engine that
     * shares no stats knows only this node's.
     */
    default CompletionStage<List<NodeStats>> nodeStats(NodeStats self) {
        return CompletableFuture.completedFuture(List.of(self));
    }

    @Override
    void close();
}
