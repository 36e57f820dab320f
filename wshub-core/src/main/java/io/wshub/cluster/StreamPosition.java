package io.wshub.cluster;

import java.util.Objects;

/**
 * A place in a history stream (docs/history.md): the offset of the last publication
 * (1, 2, 3... within one epoch; 0 before the first), and the epoch, which changes whenever the
 * stream is lost or reset (expired, removed, Redis flushed). Two positions compare only within
 * one epoch.
 *
 * @param offset 0 or more
 * @param epoch  non-empty
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more: " + offset);
        }
    }
}
