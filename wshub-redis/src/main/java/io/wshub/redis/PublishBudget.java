package io.wshub.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of publishes Lettuce holds, capped (see {@link RedisBroker}, "The 16 MiB budget"): a
 * publish takes its bytes and gives them back when answered, or when it fails without having
 * been sent; one that timed out stays counted until a later command is answered.
 */
final class PublishBudget {
    // 16 MiB: a few seconds of heavy cross-node traffic; past it Redis is not keeping up and
    // the hub should see failures rather than this node growing its heap.
    static final long MAX_PENDING_BYTES = 16L << 20;

    private final AtomicLong pending = new AtomicLong();
    /** Part of {@link #pending}: publishes that timed out, held until a later answer. */
    private final AtomicLong timedOut = new AtomicLong();

    boolean take(int size) {
        if (pending.addAndGet(size) > MAX_PENDING_BYTES) {
            pending.addAndGet(-size);
            return false;
        }
        return true;
    }

    /**
     * Counts {@code sent} (whose bytes were taken) until its answer; false if it failed at once
     * (Lettuce rejected it: the connection dropped a moment ago).
     */
    boolean track(RedisFuture<?> sent, int size) {
        sent.whenComplete((answer, error) -> {
            if (error == null) {
                answered(size);
            } else if (error instanceof RedisCommandTimeoutException || error.getCause() instanceof RedisCommandTimeoutException) {
                timedOut.addAndGet(size); // still held by Lettuce: keep it counted
            } else {
                pending.addAndGet(-size); // rejected, cancelled, or failed by Redis: not held any more
            }
        });
        return !sent.toCompletableFuture().isCompletedExceptionally();
    }

    /**
     * A command was answered: so were those sent before it, including every publish that
     * has timed out by now (a timed-out one was sent over 5 s ago, an answered one less).
     */
    void answered(int size) {
        pending.addAndGet(-(size + timedOut.getAndSet(0)));
    }
}
