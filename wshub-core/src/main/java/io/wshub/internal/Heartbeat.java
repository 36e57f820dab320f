package io.wshub.internal;

import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.wshub.protocol.Protocol;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a connection. It pings after {@code pingInterval} without an inbound frame,
 * closes with 4408 after {@code idleTimeout} without one, and closes with 4001 when the token
 * expires. Pinging on inbound silence (not outbound) matters: a client that only receives
 * pushes still gets pinged and answers with pongs, so a busy stream never times out a live
 * reader. One timer instead of two keeps idle connections small.
 *
 * <p>Every field is touched only by the connection's event loop.
 */
final class Heartbeat implements Runnable {
    /** Floor for re-arming, so clock jitter never spins the timer. */
    private static final long MIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long NEVER = Long.MAX_VALUE;

    private final RealConnection conn;
    private final long pingNanos;
    private final long idleNanos;
    /** The lastSeen value at which we pinged, so one silence gets one ping. */
    private long pingedAt = -1;
    /** {@link System#nanoTime()} at which the token expires, or {@link #NEVER}. */
    private long expiresAt = NEVER;
    private ScheduledFuture<?> timer;

    Heartbeat(RealConnection conn, long pingNanos, long idleNanos) {
        this.conn = conn;
        this.pingNanos = pingNanos;
        this.idleNanos = idleNanos;
    }

    /** Starts the timer; {@code tokenExpiry} may be null. */
    void start(Instant tokenExpiry) {
        expiresAt = deadline(tokenExpiry);
        arm();
    }

    /** A refreshed token moves the expiry. */
    void expireAt(Instant tokenExpiry) {
        expiresAt = deadline(tokenExpiry);
        timer.cancel(false);
        arm();
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void run() {
        if (!conn.channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (expiresAt != NEVER && now - expiresAt >= 0) {
            conn.close(Protocol.CLOSE_TOKEN_EXPIRED, "token expired");
            return;
        }
        long seen = conn.lastSeenNanos;
        long idle = now - seen;
        if (idle >= idleNanos) {
            conn.close(Protocol.CLOSE_HEARTBEAT_TIMEOUT, "heartbeat timeout");
            return;
        }
        if (idle >= pingNanos && pingedAt != seen) {
            pingedAt = seen;
            conn.channel.writeAndFlush(new PingWebSocketFrame(), conn.channel.voidPromise());
        }
        arm();
    }

    private void arm() {
        long now = System.nanoTime();
        long seen = conn.lastSeenNanos;
        long idle = now - seen;
        // Next: the ping, if this silence has not had one; else the idle deadline.
        long delay = pingedAt == seen ? idleNanos - idle : Math.min(pingNanos, idleNanos) - idle;
        if (expiresAt != NEVER) {
            delay = Math.min(delay, expiresAt - now);
        }
        timer = conn.channel.eventLoop().schedule(this, Math.max(delay, MIN_DELAY_NANOS), TimeUnit.NANOSECONDS);
    }

    private static long deadline(Instant expiry) {
        if (expiry == null) {
            return NEVER;
        }
        long millis = Math.max(0, expiry.toEpochMilli() - System.currentTimeMillis());
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(millis, TimeUnit.DAYS.toMillis(365 * 100)));
    }
}
