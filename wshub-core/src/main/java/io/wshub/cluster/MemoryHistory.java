package io.wshub.cluster;

import io.wshub.Target;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * A {@link History} in this JVM: the default engine of a single node, and what the hubs of a
 * {@link MemoryCluster} share. Everything completes at once, on the caller's thread; a
 * publication reaches every member's sink before {@link #publish} returns. Streams are lost
 * when the JVM stops.
 */
public final class MemoryHistory implements History {
    private final MemoryStreams streams;
    private volatile Broker.Sink sink;

    /** A store of its own, on the system clock. */
    public MemoryHistory() {
        this(System::nanoTime);
    }

    /** A store of its own on {@code clockNanos} (tests move time to expire streams). */
    public MemoryHistory(LongSupplier clockNanos) {
        this(new MemoryStreams(clockNanos, () -> false));
    }

    MemoryHistory(MemoryStreams streams) {
        this.streams = streams;
    }

    @Override
    public void start(String nodeId, Broker.Sink sink) {
        this.sink = sink;
        streams.join(sink);
    }

    @Override
    public CompletionStage<StreamPosition> publish(Envelope envelope, Retention retention) {
        if (streams.isDown()) {
            return CompletableFuture.failedFuture(new IllegalStateException("cluster bus down"));
        }
        History.streamName(envelope.target());
        return CompletableFuture.completedFuture(streams.publish(envelope, retention));
    }

    @Override
    public CompletionStage<StreamSlice> read(Target stream, long since, int limit, Retention retention) {
        if (streams.isDown()) {
            return CompletableFuture.failedFuture(new IllegalStateException("cluster bus down"));
        }
        History.streamName(stream);
        return CompletableFuture.completedFuture(streams.read(stream, since, limit, retention));
    }

    @Override
    public CompletionStage<Void> remove(Target stream) {
        streams.remove(stream);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        Broker.Sink s = sink;
        if (s != null) {
            streams.leave(s);
        }
    }
}
