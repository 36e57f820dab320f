package io.wshub.bench;

import org.HdrHistogram.Histogram;

/**
 * Broadcast deliveries seen by one worker while armed: count, first and last arrival, and
 * latency from the send time carried in the payload. Confined to the worker's event loop.
 */
final class Deliveries {
    private boolean armed;
    long count;
    long invalid;
    private long firstMicros;
    private long lastMicros;
    private Histogram hist = Hist.create();

    void arm() {
        armed = true;
        count = 0;
        invalid = 0;
        firstMicros = 0;
        lastMicros = 0;
        hist = Hist.create();
    }

    void disarm() {
        armed = false;
    }

    /** Records one delivery; a message without a send time counts as invalid. */
    void record(long sentMicros) {
        if (!armed) {
            return;
        }
        if (sentMicros < 0) {
            invalid++;
            return;
        }
        long now = Clock.epochMicros();
        count++;
        if (firstMicros == 0) {
            firstMicros = now;
        }
        lastMicros = now;
        Hist.record(hist, now - sentMicros);
    }

    String summary() {
        return "count=" + count + " first=" + firstMicros + " last=" + lastMicros + " hist=" + Hist.encode(hist);
    }
}
