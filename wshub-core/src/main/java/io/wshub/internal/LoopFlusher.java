package io.wshub.internal;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Flushes, once, every connection of one event loop that pushes were written to. Pushes queue
 * their writes unflushed and register the connection here; one task per loop then flushes
 * each connection once, so several messages queued for a connection in the meantime leave
 * in one syscall instead of one each (Netty's FlushConsolidationHandler does this per
 * channel, at the price of a task per channel).
 *
 * <p>With a write window ({@link io.wshub.WsConfig#writeDelay}) the flush runs that long after
 * the first push registered, instead of right after the tasks already queued: more pushes
 * meet in one write, each waits at most the window. Replies do not come here; they flush at once.
 *
 * <p>Every field is touched only by {@link #loop}.
 */
final class LoopFlusher implements Runnable {
    private final EventLoop loop;
    private final long delayNanos;
    private final List<RealConnection> pending = new ArrayList<>();
    private boolean scheduled;

    LoopFlusher(EventLoop loop, long delayNanos) {
        this.loop = loop;
        this.delayNanos = delayNanos;
    }

    /** Registers a connection written without a flush. Event loop only. */
    void add(RealConnection conn) {
        if (!conn.flushPending) {
            conn.flushPending = true;
            pending.add(conn);
        }
        if (!scheduled) {
            scheduled = true;
            if (delayNanos > 0) {
                loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            } else {
                loop.execute(this);
            }
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
