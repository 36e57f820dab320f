package io.wshub.internal;

import io.wshub.NodeStats;
import io.wshub.registry.Registry;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * This node's {@link NodeStats}, with message rates computed from its own counters. A rate
 * covers the window between the two latest samples at least {@value #WINDOW_MILLIS} ms
 * apart, so callers at any pace (the presence's heartbeat each second, an HTTP call now and
 * then) read the same steady figure instead of each measuring its own jittery window.
 *
 * <p>Thread-safe: any thread; never blocks beyond a short lock on the window.
 */
final class NodeSampler {
    /** 1 s: the pace of the dashboard's charts and of the cluster engines' stats beat. */
    static final long WINDOW_MILLIS = 1000;

    private final String nodeId;
    private final Registry registry;
    private final LongSupplier messagesIn;
    private final LongSupplier messagesOut;
    private final LongSupplier clockMillis;
    private volatile Instant startedAt;
    // The window: guarded by this.
    private long windowStartMillis;
    private long windowIn;
    private long windowOut;
    private double inPerSecond;
    private double outPerSecond;

    NodeSampler(String nodeId, Registry registry, LongSupplier messagesIn, LongSupplier messagesOut, LongSupplier clockMillis) {
        this.nodeId = nodeId;
        this.registry = registry;
        this.messagesIn = messagesIn;
        this.messagesOut = messagesOut;
        this.clockMillis = clockMillis;
        this.windowStartMillis = clockMillis.getAsLong();
        this.startedAt = Instant.ofEpochMilli(windowStartMillis);
    }

    /** Called once the hub listens. */
    void started(long atMillis) {
        startedAt = Instant.ofEpochMilli(atMillis);
    }

    NodeStats sample() {
        long now = clockMillis.getAsLong();
        long in = messagesIn.getAsLong();
        long out = messagesOut.getAsLong();
        double inRate;
        double outRate;
        synchronized (this) {
            long elapsed = now - windowStartMillis;
            if (elapsed >= WINDOW_MILLIS) {
                inPerSecond = (in - windowIn) * 1000.0 / elapsed;
                outPerSecond = (out - windowOut) * 1000.0 / elapsed;
                windowStartMillis = now;
                windowIn = in;
                windowOut = out;
            }
            inRate = inPerSecond;
            outRate = outPerSecond;
        }
        return new NodeStats(nodeId, registry.connectionCount(), registry.userCount(), in, out,
                inRate, outRate, startedAt, Instant.ofEpochMilli(now));
    }
}
