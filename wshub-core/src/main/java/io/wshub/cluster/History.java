package io.wshub.cluster;

import io.wshub.Target;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Streams with positions, beside the {@link Broker} (docs/history.md): each user inbox and each
 * tag a history rule names has a stream whose publications get offsets 1, 2, 3... in one epoch.
 * A sibling SPI of {@link Broker}, so brokers without history keep working unchanged.
 *
 * <h2>Guarantees an implementation must give</h2>
 * <ul>
 *   <li>{@link #publish} appends, trims to the retention and delivers to the sink of every node
 *       (this one included) as one step: every node sees one stream's publications in offset
 *       order, and a {@link #read} sees either none or all of a publication's effects.</li>
 *   <li>Positions are the same from every node; the epoch changes only when the stream is lost
 *       (TTL, {@link #remove}, the store was flushed), never while it is kept.</li>
 *   <li>Nothing blocks: a store that is down fails the stage at once.</li>
 * </ul>
 * Streams are named by {@link Target#user} or {@link Target#tag} only.
 *
 * <p>Implementations: {@link MemoryHistory} (one JVM) and {@code RedisHistory} in
 * {@code wshub-redis}. Both pass {@code HistoryContract} (wshub-core's test jar).
 *
 * <h2>Threads</h2>
 * Every method: any thread. The sink is called on the implementation's thread (memory: the
 * publisher's; Redis: the subscription's) and must not block.
 */
public interface History extends AutoCloseable {

    /** Called once by the hub at start; positioned envelopes for this node go to {@code sink}. */
    void start(String nodeId, Broker.Sink sink);

    /**
     * Appends a publication of {@code envelope} (a SEND to a user or tag) and delivers it, with
     * its position, to every node. Completes with the position it got.
     */
    CompletionStage<StreamPosition> publish(Envelope envelope, Retention retention);

    /**
     * The kept publications of {@code stream} after offset {@code since}, oldest first, at most
     * {@code limit}, and the stream's top. A stream that does not exist is created empty
     * (offset 0 and a new epoch), so the position a client is told stays valid.
     */
    CompletionStage<StreamSlice> read(Target stream, long since, int limit, Retention retention);

    /** Drops a stream; its next publication starts a new epoch. */
    CompletionStage<Void> remove(Target stream);

    /**
     * Completes once live publications of {@code stream} reach this node (its subscription is
     * active): a recovery reads history only after it, so nothing falls between the two.
     */
    default CompletionStage<Void> ready(Target stream) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    void close();

    /** The stream name clients see on the wire: {@code user:<id>} or {@code tag:<tag>}. */
    static String streamName(Target stream) {
        return switch (stream.kind()) {
            case USER -> "user:" + stream.id();
            case TAG -> "tag:" + stream.id();
            default -> throw new IllegalArgumentException("only users and tags have streams: " + stream);
        };
    }
}
