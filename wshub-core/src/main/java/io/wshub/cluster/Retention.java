package io.wshub.cluster;

import java.time.Duration;

/**
 * How much of a stream a {@link History} keeps: the last {@code size} publications, and the
 * whole stream (its epoch included) for {@code ttl} after its last publication. A stream that
 * outlives its TTL starts again at offset 0 with a new epoch.
 *
 * @param size 1 to {@value #MAX_SIZE}
 * @param ttl  at least 1 ms
 */
public record Retention(int size, Duration ttl) {
    /** Recovery reads a whole stream at once: keep that read small. */
    public static final int MAX_SIZE = 10_000;

    public Retention {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("history size must be 1.." + MAX_SIZE + ": " + size);
        }
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("history ttl must be at least 1 ms: " + ttl);
        }
    }
}
