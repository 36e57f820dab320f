package io.wshub.redis;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels a node wants, each counted by how many holders want it: a channel is wanted from
 * its first {@link #add} to its last {@link #remove}. Shared by {@link Subscriptions} (one Redis)
 * and {@link ShardChannels} (Redis Cluster), which subscribe on those two edges only.
 * Any thread; never blocks.
 */
final class WantedChannels {
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** True when {@code channel} was not wanted before this call. */
    boolean add(String channel) {
        return counts.merge(channel, 1, Integer::sum) == 1;
    }

    /** True when this call removed the last holder of {@code channel}. */
    boolean remove(String channel) {
        boolean[] last = {false};
        counts.computeIfPresent(channel, (ch, n) -> {
            last[0] = n == 1;
            return last[0] ? null : n - 1;
        });
        return last[0];
    }

    boolean contains(String channel) {
        return counts.containsKey(channel);
    }

    int size() {
        return counts.size();
    }

    /** A live view of the wanted channels. */
    Set<String> channels() {
        return counts.keySet();
    }
}
