package io.wshub.internal;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * Flushes, once, every connection of one event loop that fan-outs wrote to. Broadcasts queue
 * their writes unflushed and register the connection here; one task per loop then flushes
 * each connection once, so several messages queued for a connection in the meantime leave
 * in one syscall instead of one each (Netty's FlushConsolidationHandler does this per
 * channel, at the price of a task per channel).
 *
 * <p>Every field is touched only by {@link #loop}.
 */
final class LoopFlusher implements Runnable {
    private final EventLoop loop;
    private final List<RealConnection> pending = new ArrayList<>();
    private boolean scheduled;

    LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** Registers a connection written without a flush. Event loop only. */
    void add(RealConnection conn) {
        if (!conn.flushPending) {
            conn.flushPending = true;
            pending.add(conn);
        }
        if (!scheduled) {
            scheduled = true;
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        for (RealConnection conn : pending) {
            conn.flushPending = false;
            conn.channel.flush();
        }
        pending.clear();
    }
}
