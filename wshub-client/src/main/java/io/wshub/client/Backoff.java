package io.wshub.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: attempt {@code n} (0-based) waits {@code min(max, initial * factor^n)},
 * reduced by up to {@code jitter} (a fraction in [0, 1]) at random. The default jitter 1 is
 * "full jitter": clients that dropped together (a node died) spread over the whole window
 * instead of coming back at once. A connection that stayed up {@code resetAfter} starts again
 * from attempt 0, except after 4008/4029 (the server shed load).
 */
public record Backoff(Duration initial, Duration max, double factor, double jitter, Duration resetAfter) {
    /** 0.5 s, doubling up to 30 s, full jitter, reset after 5 s up: the JS client's defaults. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2, 1, Duration.ofSeconds(5));

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || factor < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("bad backoff " + initial + ".." + max + " x" + factor + " jitter " + jitter);
        }
    }

    /** The delay before attempt {@code attempt}; {@code random} yields values in [0, 1). */
    public Duration delay(int attempt, DoubleSupplier random) {
        double base = Math.min(max.toMillis(), initial.toMillis() * Math.pow(factor, Math.min(attempt, 62)));
        return Duration.ofMillis(Math.round(base * (1 - jitter * random.getAsDouble())));
    }
}
