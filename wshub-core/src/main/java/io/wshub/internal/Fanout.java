package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.wshub.Connection;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes one encoded push to many connections. Connections on the caller's own event loop
 * are written at once; the others are grouped by event loop and each loop gets one task for
 * its whole group, instead of one task (and one cross-thread hand-off) per connection. Writes
 * are flushed per loop by its {@link LoopFlusher} (within the write window, if one is set).
 * Every connection gets a duplicate of the same bytes: a broadcast is encoded once.
 *
 * <p>A hand-off is bounded when it is made: the bytes reserved for a connection in tasks its
 * loop has not run yet count against its outbound limit ({@link RealConnection#reserve}), so
 * a sender that outruns a busy loop closes the connections it would overfill (4008) instead of
 * piling up tasks and buffers without end.
 */
final class Fanout {
    /** One flusher per event loop; filled at start, read-only after. */
    private final Map<EventExecutor, LoopFlusher> flushers = new IdentityHashMap<>();

    Fanout(Iterable<EventExecutor> loops, long writeDelayNanos) {
        for (EventExecutor loop : loops) {
            flushers.put(loop, new LoopFlusher((EventLoop) loop, writeDelayNanos));
        }
    }

    /**
     * @param frame the encoded message; not released here
     * @return connections the frame was written or handed to (open, not closing and within
     *     their outbound limit when seen)
     */
    int write(Iterable<? extends Connection> targets, ByteBuf frame) {
        Map<EventLoop, List<RealConnection>> byLoop = null;
        int size = frame.readableBytes();
        int reached = 0;
        for (Connection c : targets) {
            RealConnection conn = (RealConnection) c;
            EventLoop loop = conn.channel.eventLoop();
            if (loop.inEventLoop()) {
                if (writeOnLoop(conn, frame, false)) {
                    reached++;
                }
            } else if (conn.isOpen() && conn.reserve(size)) {
                if (byLoop == null) {
                    byLoop = new IdentityHashMap<>(8);
                }
                byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(conn);
                reached++;
            }
        }
        if (byLoop != null) {
            byLoop.forEach((loop, group) -> handOff(loop, group, frame, size));
        }
        return reached;
    }

    /** @param accepted reserved before a close was recorded: written even if the connection is closing now */
    private boolean writeOnLoop(RealConnection conn, ByteBuf frame, boolean accepted) {
        ByteBuf copy = frame.retainedDuplicate();
        if (!(accepted ? conn.writeAccepted(copy) : conn.write(copy, false))) {
            return false;
        }
        flushers.get(conn.channel.eventLoop()).add(conn);
        return true;
    }

    private void handOff(EventLoop loop, List<RealConnection> group, ByteBuf frame, int size) {
        ByteBuf shared = frame.retain();
        try {
            loop.execute(() -> {
                try {
                    for (RealConnection conn : group) {
                        conn.unreserve(size); // from here on the bytes count in the channel's own queue
                        writeOnLoop(conn, shared, true);
                    }
                } finally {
                    shared.release();
                }
            });
        } catch (RejectedExecutionException e) {
            shared.release(); // the loop is shutting down and its connections with it
        }
    }
}
