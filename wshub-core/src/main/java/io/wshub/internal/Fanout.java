package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
 * Every connection gets the same bytes ({@link RealConnection#writeShared}): a broadcast is encoded once.
 *
 * <p>A hand-off is bounded when it is made: the bytes reserved for a connection in tasks its
 * loop has not run yet count against its outbound limit ({@link RealConnection#reserve}), so
 * a sender that outruns a busy loop closes the connections it would overfill (4008) instead of
 * piling up tasks and buffers without end.
 */
final class Fanout {
    /** One flusher per event loop; filled at start, read-only after. */
    private final Map<EventExecutor, LoopFlusher> flushers = new IdentityHashMap<>();

    /** Null when permessage-deflate is off. */
    private final Compression compression;

    /** @param fixedDelayNanos, autoDelayMaxNanos see {@link LoopFlusher} */
    Fanout(Iterable<EventExecutor> loops, long fixedDelayNanos, long autoDelayMaxNanos, Compression compression) {
        this.compression = compression;
        for (EventExecutor loop : loops) {
            flushers.put(loop, new LoopFlusher((EventLoop) loop, fixedDelayNanos, autoDelayMaxNanos));
        }
    }

    /**
     * @param plain the encoded message; not released here
     * @return connections the frame was written or handed to (open, not closing and within
     *     their outbound limit when seen)
     */
    int write(Iterable<? extends Connection> targets, ByteBuf plain) {
        Variants variants = new Variants(plain);
        try {
            return write(targets, variants);
        } finally {
            variants.release();
        }
    }

    private int write(Iterable<? extends Connection> targets, Variants variants) {
        Map<EventLoop, List<RealConnection>> byLoop = null;
        int reached = 0;
        for (Connection c : targets) {
            RealConnection conn = (RealConnection) c;
            ByteBuf frame = variants.of(conn);
            EventLoop loop = conn.channel.eventLoop();
            if (loop.inEventLoop()) {
                if (writeOnLoop(conn, frame, false)) {
                    reached++;
                }
            } else if (conn.isOpen() && conn.reserve(frame.readableBytes())) {
                if (byLoop == null) {
                    byLoop = new IdentityHashMap<>(8);
                }
                byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(conn);
                reached++;
            }
        }
        if (byLoop != null) {
            byLoop.forEach((loop, group) -> handOff(loop, group, variants));
        }
        return reached;
    }

    /**
     * The plain frame and, made on the caller's thread the first time a connection with
     * permessage-deflate needs it, the compressed one: once per send, not per connection.
     */
    private final class Variants {
        private final ByteBuf plain;
        private ByteBuf deflated;
        private boolean tried;

        Variants(ByteBuf plain) {
            this.plain = plain;
        }

        ByteBuf of(RealConnection conn) {
            if (compression == null || !conn.deflates()) {
                return plain;
            }
            if (!tried) {
                tried = true;
                deflated = compression.deflate(PooledByteBufAllocator.DEFAULT, plain);
            }
            return deflated != null ? deflated : plain;
        }

        /** What {@link #of} answers on another thread: only after this thread made the variants. */
        ByteBuf retainedFor(boolean deflates) {
            return (deflates && deflated != null ? deflated : plain).retain();
        }

        void release() {
            if (deflated != null) {
                deflated.release();
            }
        }
    }

    /** @param accepted reserved before a close was recorded: written even if the connection is closing now */
    private boolean writeOnLoop(RealConnection conn, ByteBuf frame, boolean accepted) {
        if (!conn.writeShared(frame, accepted)) {
            return false;
        }
        flushers.get(conn.channel.eventLoop()).add(conn);
        return true;
    }

    private void handOff(EventLoop loop, List<RealConnection> group, Variants variants) {
        ByteBuf shared = variants.retainedFor(false);
        ByteBuf sharedDeflated = variants.retainedFor(true);
        try {
            loop.execute(() -> {
                try {
                    for (RealConnection conn : group) {
                        // the same variant write() reserved for: deflates() does not change after the upgrade
                        ByteBuf frame = compression != null && conn.deflates() ? sharedDeflated : shared;
                        conn.unreserve(frame.readableBytes()); // from here on the bytes count in the channel's own queue
                        writeOnLoop(conn, frame, true);
                    }
                } finally {
                    shared.release();
                    sharedDeflated.release();
                }
            });
        } catch (RejectedExecutionException e) {
            shared.release(); // the loop is shutting down and its connections with it
            sharedDeflated.release();
        }
    }
}
