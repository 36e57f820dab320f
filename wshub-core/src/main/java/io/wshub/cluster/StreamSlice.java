package io.wshub.cluster;

import java.util.List;

/**
 * What a {@link History#read} found: the kept publications after the asked offset, oldest
 * first, and the stream's position when it was read (its top).
 */
public record StreamSlice(List<Publication> publications, StreamPosition position) {
    public StreamSlice {
        publications = List.copyOf(publications);
    }

    /**
     * Whether a client at {@code since} misses nothing when it gets these publications: same
     * epoch, not ahead of the stream, and the first kept publication follows {@code since}
     * (read with no limit).
     */
    public boolean continues(StreamPosition since) {
        if (!since.epoch().equals(position.epoch()) || since.offset() > position.offset()) {
            return false;
        }
        if (since.offset() == position.offset()) {
            return true;
        }
        return !publications.isEmpty() && publications.get(0).offset() == since.offset() + 1;
    }
}
