package io.wshub.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Consistent hashing over shards: each shard owns {@value #POINTS_PER_SHARD} points on a ring
 * of 64-bit hashes and a key belongs to the first point at or after its hash. Adding a shard
 * to {@code n} moves about {@code 1/(n+1)} of the keys (those the new points take), never keys
 * between the old shards.
 *
 * <p>The points derive from the shards' names alone, so every node that lists the same shards,
 * in any order, puts every key on the same shard. Immutable and thread-safe.
 */
final class HashRing<T> {
    // 160 points per shard (as ketama): the largest shard's share stays within about 10% of
    // the mean for a handful of shards, and the ring of 4 shards is 640 longs.
    static final int POINTS_PER_SHARD = 160;

    private final List<T> shards;
    private final long[] points;
    /** owners[i] is the index in {@link #shards} of the shard that owns points[i]. */
    private final int[] owners;

    HashRing(List<T> shards, Function<T, String> name) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shards");
        }
        this.shards = List.copyOf(shards);
        Set<String> names = new LinkedHashSet<>();
        for (T shard : shards) {
            if (!names.add(name.apply(shard))) {
                throw new IllegalArgumentException("shard listed twice: " + name.apply(shard));
            }
        }
        long[][] pairs = new long[shards.size() * POINTS_PER_SHARD][];
        int n = 0;
        for (int s = 0; s < shards.size(); s++) {
            String shardName = name.apply(shards.get(s));
            for (int p = 0; p < POINTS_PER_SHARD; p++) {
                pairs[n++] = new long[] {hash(shardName + "#" + p), s};
            }
        }
        // Ties (astronomically rare) are broken by shard name so every node agrees.
        List<String> nameList = new ArrayList<>(names);
        Arrays.sort(pairs, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
                : nameList.get((int) x[1]).compareTo(nameList.get((int) y[1])));
        points = new long[pairs.length];
        owners = new int[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            points[i] = pairs[i][0];
            owners[i] = (int) pairs[i][1];
        }
    }

    List<T> shards() {
        return shards;
    }

    /** The shard that owns {@code key}. */
    T shardFor(String key) {
        return shards.get(owners[index(hash(key))]);
    }

    /** Every shard, the owner of {@code key} first, then the others in ring order after it. */
    List<T> preference(String key) {
        Set<T> order = new LinkedHashSet<>();
        int start = index(hash(key));
        for (int i = 0; i < points.length && order.size() < shards.size(); i++) {
            order.add(shards.get(owners[(start + i) % points.length]));
        }
        return List.copyOf(order);
    }

    private int index(long h) {
        int i = Arrays.binarySearch(points, h);
        if (i < 0) {
            i = -i - 1;
        }
        return i == points.length ? 0 : i;
    }

    /** FNV-1a over the UTF-16 units, then MurmurHash3's finalizer to spread the bits. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
