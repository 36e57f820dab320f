package io.wshub.registry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client ids: {@code <nodeId>.<counter in base 36>}. Unique across a cluster as long as node
 * ids are, cheap to make, and they name their node, so a send to a client id can go to one
 * node instead of all.
 */
public final class ClientIds {
    private static final char SEPARATOR = '.';
    private final String prefix;
    // Starts at a random point so ids of a restarted node do not repeat the last run's ids.
    private final AtomicLong counter = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));

    public ClientIds(String nodeId) {
        if (nodeId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("node id must not contain '" + SEPARATOR + "': " + nodeId);
        }
        this.prefix = nodeId + SEPARATOR;
    }

    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }

    /** The node a client id was made on, or null if it is not a wshub client id. */
    public static String nodeOf(String clientId) {
        int dot = clientId.lastIndexOf(SEPARATOR);
        return dot <= 0 ? null : clientId.substring(0, dot);
    }

    /** A random node id: 8 base-36 characters. */
    public static String randomNodeId() {
        String s = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        return s.substring(0, Math.min(8, s.length()));
    }
}
