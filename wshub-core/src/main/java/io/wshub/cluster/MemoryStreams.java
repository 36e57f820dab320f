package io.wshub.cluster;

import io.wshub.Target;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The streams behind one or more {@link MemoryHistory} members (the hubs of one
 * {@link MemoryCluster}, or a single hub). Each stream is changed and read inside
 * {@link ConcurrentHashMap#compute} for its key, and a publication is handed to every member's
 * sink there too: that is what orders one stream's deliveries on every node.
 */
final class MemoryStreams {
    private final Map<Target, Stream> streams = new ConcurrentHashMap<>();
    private final List<Broker.Sink> sinks = new CopyOnWriteArrayList<>();
    private final LongSupplier clockNanos;
    private final BooleanSupplier down;

    MemoryStreams(LongSupplier clockNanos, BooleanSupplier down) {
        this.clockNanos = clockNanos;
        this.down = down;
    }

    boolean isDown() {
        return down.getAsBoolean();
    }

    void join(Broker.Sink sink) {
        sinks.add(sink);
    }

    void leave(Broker.Sink sink) {
        sinks.remove(sink);
    }

    StreamPosition publish(Envelope e, Retention retention) {
        StreamPosition[] at = new StreamPosition[1];
        streams.compute(e.target(), (t, s) -> {
            Stream live = alive(s);
            at[0] = live.append(e, retention, clockNanos.getAsLong());
            Envelope positioned = e.at(at[0]);
            for (Broker.Sink sink : sinks) {
                sink.deliver(positioned);
            }
            return live;
        });
        return at[0];
    }

    StreamSlice read(Target target, long since, int limit, Retention retention) {
        StreamSlice[] slice = new StreamSlice[1];
        streams.compute(target, (t, s) -> {
            Stream live = alive(s);
            if (s != live) {
                live.expiresAt = clockNanos.getAsLong() + retention.ttl().toNanos();
            }
            slice[0] = live.slice(since, limit);
            return live;
        });
        return slice[0];
    }

    void remove(Target target) {
        streams.remove(target);
    }

    /** Loses every stream (tests play a flushed store). */
    void clear() {
        streams.clear();
    }

    /** {@code s}, or a fresh stream when there is none or it outlived its TTL. */
    private Stream alive(Stream s) {
        return s != null && s.expiresAt - clockNanos.getAsLong() > 0 ? s : new Stream();
    }

    /** One stream; touched only inside {@code compute} for its key. */
    private static final class Stream {
        final String epoch = UUID.randomUUID().toString().substring(0, 8);
        final ArrayDeque<Publication> kept = new ArrayDeque<>();
        long top;
        long expiresAt;

        StreamPosition append(Envelope e, Retention retention, long now) {
            kept.addLast(new Publication(++top, e.event(), e.data()));
            while (kept.size() > retention.size()) {
                kept.removeFirst();
            }
            expiresAt = now + retention.ttl().toNanos();
            return new StreamPosition(top, epoch);
        }

        StreamSlice slice(long since, int limit) {
            List<Publication> after = new ArrayList<>();
            for (Publication p : kept) {
                if (p.offset() > since && after.size() < limit) {
                    after.add(p);
                }
            }
            return new StreamSlice(after, new StreamPosition(top, epoch));
        }
    }
}
