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
 * <p>With a fixed write window ({@link io.wshub.WsConfig#writeDelay}) the flush runs that long
 * after the first push registered, instead of right after the tasks already queued: more pushes
 * meet in one write, each waits at most the window. With the automatic one (the default,
 * {@link io.wshub.WsConfig#autoWriteDelay}) a flush is held only while the loop is busy flushing:
 * when the last round took at least {@link #BUSY_ROUND_NANOS} and ended less than its own length
 * ago, the next waits as long as that round took (at most the cap). A push then waits no longer
 * than the writes it queues behind would have taken anyway, and an idle or lightly loaded loop
 * never holds one. Replies do not come here; they flush at once.
 *
 * <p>Every field is touched only by {@link #loop}.
 */
final class LoopFlusher implements Runnable {
    /** A shorter round flushed a few connections: holding the next gains nothing worth a timer. */
    static final long BUSY_ROUND_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    private final EventLoop loop;
    private final long fixedNanos;
    private final long autoMaxNanos;
    private final List<RealConnection> pending = new ArrayList<>();
    private boolean scheduled;
    /** The last flush round: how long it took and when it ended (nanoTime); auto window only. */
    private long lastRoundNanos;
    private long lastRoundEnd;

    /**
     * @param fixedNanos a fixed window, or 0
     * @param autoMaxNanos with no fixed window: the automatic window's cap, or 0 for none
     */
    LoopFlusher(EventLoop loop, long fixedNanos, long autoMaxNanos) {
        this.loop = loop;
        this.fixedNanos = fixedNanos;
        this.autoMaxNanos = fixedNanos > 0 ? 0 : autoMaxNanos;
    }

    /** Registers a connection written without a flush. Event loop only. */
    void add(RealConnection conn) {
        if (!conn.flushPending) {
            conn.flushPending = true;
            pending.add(conn);
        }
        if (!scheduled) {
            scheduled = true;
            long hold = fixedNanos > 0 ? fixedNanos : autoHold();
            if (hold > 0) {
                loop.schedule(this, hold, TimeUnit.NANOSECONDS);
            } else {
                loop.execute(this);
            }
        }
    }

    private long autoHold() {
        return autoMaxNanos == 0 ? 0 : autoHold(lastRoundNanos, System.nanoTime() - lastRoundEnd, autoMaxNanos);
    }

    /**
     * How long the automatic window holds the next flush: as long as the last round took (at
     * most {@code maxNanos}) if that round was busy and ended less than its own length ago
     * ({@code sinceEndNanos}), else not at all.
     */
    static long autoHold(long lastRoundNanos, long sinceEndNanos, long maxNanos) {
        if (lastRoundNanos < BUSY_ROUND_NANOS || sinceEndNanos >= lastRoundNanos) {
            return 0;
        }
        return Math.min(lastRoundNanos, maxNanos);
    }

    @Override
    public void run() {
        scheduled = false;
        long start = autoMaxNanos > 0 ? System.nanoTime() : 0;
        for (RealConnection conn : pending) {
            conn.flushPending = false;
            conn.channel.flush();
        }
        pending.clear();
        if (autoMaxNanos > 0) {
            lastRoundEnd = System.nanoTime();
            lastRoundNanos = lastRoundEnd - start;
        }
    }
}
