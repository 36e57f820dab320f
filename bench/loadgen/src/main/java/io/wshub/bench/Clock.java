package io.wshub.bench;

import java.time.Instant;

/**
 * Epoch microseconds. Broadcast latency crosses processes (publisher and subscribers are
 * different JVMs), so it is measured on the shared wall clock rather than System.nanoTime.
 */
final class Clock {
    private Clock() {
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
