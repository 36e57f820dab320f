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
 * <p>A round flushes for at most {@link #SLICE_NANOS} per task and then lets the loop read and
 * run its other tasks before it goes on, so a broadcast to many connections does not stall the
 * loop for the whole round (10,000 connections take tens of milliseconds). Pushes made in the
 * meantime to connections the round has not reached yet leave with them; the others wait for
 * the next round.
 *
 * <p>Every field is touched only by {@link #loop}.
 */
final class LoopFlusher implements Runnable {
    /** What a round flushes: a connection ({@link RealConnection}). Event loop only. */
    interface Member {
        /** Marks this member as registered for a flush: false if it already was. */
        boolean registerFlush();

        /** Clears the mark and flushes what was written to it. */
        void flushRegistered();
    }

    /** A shorter round flushed a few connections: holding the next gains nothing worth a timer. */
    static final long BUSY_ROUND_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    /**
     * How long one task of a round flushes: the read budget of a turn
     * ({@link FrameBudgetDecoder#NANOS_PER_TURN}), so flushing and reading take turns alike.
     */
    static final long SLICE_NANOS = FrameBudgetDecoder.NANOS_PER_TURN;

    private final EventLoop loop;
    private final long fixedNanos;
    private final long autoMaxNanos;
    /** Registered since the current round started; the next round's. */
    private List<Member> pending = new ArrayList<>();
    /** The current round's, flushed from {@link #next} on; empty between rounds. */
    private List<Member> round = new ArrayList<>();
    private int next;
    /** A round is scheduled or under way. */
    private boolean scheduled;
    private long roundStart;
    /** The last flush round: how long it took, slices and what ran between them, and when it ended (nanoTime). */
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
    void add(Member conn) {
        if (conn.registerFlush()) {
            pending.add(conn);
        }
        if (!scheduled) {
            scheduleRound();
        }
    }

    private void scheduleRound() {
        scheduled = true;
        long hold = fixedNanos > 0 ? fixedNanos : autoHold();
        if (hold > 0) {
            loop.schedule(this, hold, TimeUnit.NANOSECONDS);
        } else {
            loop.execute(this);
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
        long sliceStart = System.nanoTime();
        if (round.isEmpty()) { // a new round takes what is registered; later pushes register for the next
            List<Member> taken = pending;
            pending = round;
            round = taken;
            next = 0;
            roundStart = sliceStart;
        }
        while (next < round.size()) {
            round.get(next++).flushRegistered();
            if (next < round.size() && System.nanoTime() - sliceStart >= SLICE_NANOS) {
                // A scheduled task, unlike a queued one, runs only after the loop has polled its sockets.
                loop.schedule(this, 0, TimeUnit.NANOSECONDS);
                return;
            }
        }
        round.clear();
        lastRoundEnd = System.nanoTime();
        lastRoundNanos = lastRoundEnd - roundStart;
        scheduled = false;
        if (!pending.isEmpty()) {
            scheduleRound();
        }
    }
}
