package io.wshub.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Which users are online anywhere in the cluster: what the {@code user.online} and
 * {@code user.offline} webhooks need (docs/backend.md "Webhooks"). A sibling of
 * {@link Presence}: presence lists connections, this decides transitions exactly once.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #connected} completes with true for exactly one connection per offline -> online
 *       transition of a user, over all nodes sharing the store.</li>
 *   <li>{@link #sweep} returns a user once, on one node, when the user has had no connection on
 *       any live node for at least the grace time; a connection within the grace cancels it.</li>
 *   <li>The connections of a node that dies (stops refreshing) count as gone once its liveness
 *       expires, so its users still go offline.</li>
 * </ul>
 * Every method may be called from any thread and never blocks.
 */
public interface OnlineUsers extends AutoCloseable {

    /** Called once, before any other method, with this node's id. */
    void start(String nodeId);

    /** A connection of {@code userId} opened on this node; true when the user was offline. */
    CompletionStage<Boolean> connected(String userId);

    /** A connection of {@code userId} on this node closed. */
    CompletionStage<Void> disconnected(String userId);

    /**
     * Users now offline: no connection on any live node for at least {@code grace}. Each user
     * is returned by one call only. Every node calls it periodically.
     */
    CompletionStage<List<String>> sweep(Duration grace);

    /** Stops refreshing this node's liveness; its users go offline after it expires. */
    @Override
    void close();
}
