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
 * Writes one encoded frame to many connections. Connections on the caller's own event loop
 * are written at once; the others are grouped by event loop and each loop gets one task for
 * its whole group, instead of one task (and one cross-thread hand-off) per connection. Writes
 * are flushed per loop by its {@link LoopFlusher}. Every connection gets a duplicate of the
 * same bytes: a broadcast is encoded once.
 */
final class Fanout {
    /** One flusher per event loop; filled at start, read-only after. */
    private final Map<EventExecutor, LoopFlusher> flushers = new IdentityHashMap<>();

    Fanout(Iterable<EventExecutor> loops) {
        for (EventExecutor loop : loops) {
            flushers.put(loop, new LoopFlusher((EventLoop) loop));
        }
    }

    /**
     * @param frame the encoded message; not released here
     * @return connections the frame was written or handed to (open and not closing when seen)
     */
    int write(Iterable<Connection> targets, ByteBuf frame) {
        Map<EventLoop, List<RealConnection>> byLoop = null;
        int reached = 0;
        for (Connection c : targets) {
            RealConnection conn = (RealConnection) c;
            EventLoop loop = conn.channel.eventLoop();
            if (loop.inEventLoop()) {
                if (writeOnLoop(conn, frame)) {
                    reached++;
                }
            } else if (conn.isOpen()) {
                if (byLoop == null) {
                    byLoop = new IdentityHashMap<>(8);
                }
                byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(conn);
                reached++;
            }
        }
        if (byLoop != null) {
            byLoop.forEach((loop, group) -> handOff(loop, group, frame));
        }
        return reached;
    }

    private boolean writeOnLoop(RealConnection conn, ByteBuf frame) {
        if (!conn.write(frame.retainedDuplicate(), false)) {
            return false;
        }
        flushers.get(conn.channel.eventLoop()).add(conn);
        return true;
    }

    private void handOff(EventLoop loop, List<RealConnection> group, ByteBuf frame) {
        ByteBuf shared = frame.retain();
        try {
            loop.execute(() -> {
                try {
                    for (RealConnection conn : group) {
                        writeOnLoop(conn, shared);
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
