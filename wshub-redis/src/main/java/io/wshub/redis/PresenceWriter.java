package io.wshub.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.wshub.ClientInfo;
import io.wshub.NodeStats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes this node's presence ({@link NodeState}) to Redis for {@link RedisPresence}: batched
 * changes, the periodic TTL refresh, the full republish after an outage, and the goodbye on
 * close. Everything but {@link #scheduleFlush} and {@link #close} runs on the link's thread.
 */
final class PresenceWriter {
    // 50 ms: invisible to a person reading a list, yet a burst of connects becomes one write.
    private static final long FLUSH_DELAY_MILLIS = 50;
    // 1000 fields: a bounded command size (about 200 KB of client JSON) for huge republishes.
    private static final int FIELDS_PER_COMMAND = 1000;
    // 1 s: after a failed write, the next attempt at a full republish; soon enough that
    // presence does not stall until the periodic refresh, rare enough not to hammer Redis.
    private static final long RETRY_MILLIS = 1000;
    /**
     * 1 s: how often the node's stats record (in its alive key) is rewritten between refreshes,
     * the pace of the dashboard's charts; one small SET and SADD per node per second.
     */
    private static final long STATS_BEAT_MILLIS = 1000;
    /**
     * KEYS[1] staging, KEYS[2] live key, ARGV[1] the number of fields written: RENAME only if
     * every chunk reached Redis (a failed or lost HSET leaves fewer fields), else drop staging.
     */
    private static final String RENAME_IF_COMPLETE =
            "if redis.call('hlen', KEYS[1]) == tonumber(ARGV[1]) then "
            + "redis.call('rename', KEYS[1], KEYS[2]) return 1 "
            + "else redis.call('del', KEYS[1]) return 0 end";

    private final PresenceLink link;
    private final RedisKeys keys;
    private final NodeState state;
    private final String nodeId;
    /** This node's stats for the alive key; null when the hub shares none (then the bare time). */
    private final Supplier<NodeStats> stats;
    private final long ttlMillis;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** True when Redis may lack some of this node's state: write it all. Link thread only. */
    private boolean republish = true;
    /** The periodic refresh is scheduled. Link thread only. */
    private boolean refreshing;
    /** A retry after a failed write is scheduled. Link thread only. */
    private boolean retryScheduled;

    PresenceWriter(PresenceLink link, NodeState state, String nodeId, Supplier<NodeStats> stats) {
        this.link = link;
        this.keys = link.keys();
        this.state = state;
        this.nodeId = nodeId;
        this.stats = stats;
        this.ttlMillis = link.options().presenceTtl().toMillis();
        link.onCommandsUp(this::commandsUp);
    }

    /** Any thread; never blocks. */
    void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            link.schedule(this::flush, FLUSH_DELAY_MILLIS);
        }
    }

    private void commandsUp() {
        republish = true;
        refresh();
        if (!refreshing) {
            refreshing = true;
            long period = Math.max(1, ttlMillis / 3);
            link.executor().scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
            if (stats != null) {
                link.executor().scheduleWithFixedDelay(this::statsBeat, STATS_BEAT_MILLIS, STATS_BEAT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Rewrites the alive key with fresh stats. A failure is left to the refresh, which notices
     * and republishes; until the republish is done the beat waits, so it never lists this node
     * ahead of its hashes.
     */
    private void statsBeat() {
        try {
            RedisClusterAsyncCommands<String, byte[]> r = link.async();
            if (r != null && !republish && !closed.get()) {
                heartbeat(r);
            }
        } catch (RuntimeException e) {
            // Every second during an outage: the refresh reports the episode once (WARN); this stays quiet.
            RedisLink.log.debug("node {}: stats beat failed: {}", nodeId, e.toString());
        }
    }

    private void flush() {
        flushScheduled.set(false);
        RedisClusterAsyncCommands<String, byte[]> r = link.async();
        if (r == null || republish || closed.get()) {
            return; // the next republish writes everything
        }
        List<CompletionStage<?>> writes = new ArrayList<>();
        updateHash(r, keys.clients(nodeId), drain(state.dirtyClients), id -> {
            ClientInfo info = state.clients.get(id);
            return info == null ? null : PresenceJson.encode(info);
        }, writes);
        updateHash(r, keys.users(nodeId), drain(state.dirtyUsers), u -> count(state.users.get(u)), writes);
        updateHash(r, keys.tags(nodeId), drain(state.dirtyTags), t -> count(state.tags.get(t)), writes);
        writes.add(r.pexpire(keys.clients(nodeId), ttlMillis));
        writes.add(r.pexpire(keys.users(nodeId), ttlMillis));
        writes.add(r.pexpire(keys.tags(nodeId), ttlMillis));
        republishOnFailure(writes);
    }

    /** Renews the TTLs, or writes everything when Redis may have lost it. */
    private void refresh() {
        try {
            RedisClusterAsyncCommands<String, byte[]> r = link.async();
            if (r == null || closed.get()) {
                return;
            }
            if (republish) {
                republishAll(r);
                return;
            }
            List<CompletionStage<?>> writes = new ArrayList<>(heartbeat(r));
            RedisFuture<Boolean> kept = r.pexpire(keys.clients(nodeId), ttlMillis);
            writes.add(kept);
            writes.add(r.pexpire(keys.users(nodeId), ttlMillis));
            writes.add(r.pexpire(keys.tags(nodeId), ttlMillis));
            kept.thenAccept(exists -> {
                if (!exists && !state.isEmpty()) {
                    link.run(() -> {
                        republish = true;
                        refresh();
                    });
                }
            });
            republishOnFailure(writes);
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and go on.
            RedisLink.log.warn("node {}: presence refresh failed: {}", nodeId, e.toString());
        }
    }

    private void republishAll(RedisClusterAsyncCommands<String, byte[]> r) {
        republish = false;
        state.clearDirty();
        Map<String, byte[]> clients = new HashMap<>();
        state.clients.forEach((id, info) -> clients.put(id, PresenceJson.encode(info)));
        List<CompletionStage<?>> writes = new ArrayList<>();
        replaceHash(r, keys.clients(nodeId), clients, writes);
        replaceHash(r, keys.users(nodeId), counts(state.users), writes);
        replaceHash(r, keys.tags(nodeId), counts(state.tags), writes);
        writes.addAll(heartbeat(r));
        republishOnFailure(writes);
    }

    /**
     * The alive key (holding this node's stats), then (once it is written) the node set: a reader that finds a node in the
     * set without its alive key drops it from the set, so the set must never be ahead. In a
     * Redis Cluster the two keys live in different slots, on different connections, where two
     * commands sent one after the other may land the other way round.
     */
    private List<CompletionStage<?>> heartbeat(RedisClusterAsyncCommands<String, byte[]> r) {
        byte[] value = stats != null ? NodeStatsJson.encode(stats.get()) : bytes(Long.toString(System.currentTimeMillis()));
        RedisFuture<String> alive = r.psetex(keys.alive(nodeId), ttlMillis, value);
        return List.of(alive, alive.thenCompose(ok -> r.sadd(keys.nodes(), bytes(nodeId))));
    }

    private void updateHash(RedisClusterAsyncCommands<String, byte[]> r, String key, List<String> fields,
                            Function<String, byte[]> valueOf, List<CompletionStage<?>> writes) {
        Map<String, byte[]> set = new HashMap<>();
        List<String> delete = new ArrayList<>();
        for (String field : fields) {
            byte[] value = valueOf.apply(field);
            if (value == null) {
                delete.add(field);
            } else {
                set.put(field, value);
            }
        }
        hset(r, key, set, writes);
        for (int i = 0; i < delete.size(); i += FIELDS_PER_COMMAND) {
            List<String> chunk = delete.subList(i, Math.min(delete.size(), i + FIELDS_PER_COMMAND));
            writes.add(r.hdel(key, chunk.toArray(String[]::new)));
        }
    }

    private void replaceHash(RedisClusterAsyncCommands<String, byte[]> r, String key, Map<String, byte[]> entries,
                             List<CompletionStage<?>> writes) {
        if (entries.isEmpty()) {
            writes.add(r.del(key));
            return;
        }
        String staging = key + ":staging";
        writes.add(r.del(staging));
        // The TTL right after the first chunk, so a staging key left by a drop mid-way expires.
        hset(r, staging, entries, writes, () -> writes.add(r.pexpire(staging, ttlMillis)));
        // Pipelined behind the chunks (later flushes must not overtake it), yet conditional:
        // atomic, and the key takes the staging TTL; a half-written hash never goes live.
        RedisFuture<Long> renamed = r.eval(RENAME_IF_COMPLETE, ScriptOutputType.INTEGER,
                new String[] {staging, key}, bytes(Integer.toString(entries.size())));
        writes.add(renamed.thenApply(done -> {
            if (done != 1L) {
                throw new IllegalStateException("staging " + staging + " incomplete, not renamed");
            }
            return done;
        }).toCompletableFuture());
    }

    private static void hset(RedisClusterAsyncCommands<String, byte[]> r, String key, Map<String, byte[]> entries,
                             List<CompletionStage<?>> writes) {
        hset(r, key, entries, writes, () -> {});
    }

    /** HSETs in chunks; {@code afterFirst} runs once the first chunk is queued. */
    private static void hset(RedisClusterAsyncCommands<String, byte[]> r, String key, Map<String, byte[]> entries,
                             List<CompletionStage<?>> writes, Runnable afterFirst) {
        Map<String, byte[]> chunk = new HashMap<>();
        boolean first = true;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            chunk.put(e.getKey(), e.getValue());
            if (chunk.size() == FIELDS_PER_COMMAND) {
                writes.add(r.hset(key, chunk));
                chunk = new HashMap<>();
                if (first) {
                    first = false;
                    afterFirst.run();
                }
            }
        }
        if (!chunk.isEmpty()) {
            writes.add(r.hset(key, chunk));
            if (first) {
                afterFirst.run();
            }
        }
    }

    /**
     * If any write fails, Redis may lack part of this node's state: republish it all, about
     * {@value #RETRY_MILLIS} ms later rather than at the next periodic refresh (flushes wait
     * for the republish meanwhile, their changes kept).
     */
    private void republishOnFailure(List<CompletionStage<?>> writes) {
        CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
                .whenComplete((v, error) -> {
                    if (error != null) {
                        link.run(this::retryLater);
                    }
                });
    }

    /** Link thread. */
    private void retryLater() {
        republish = true;
        if (!retryScheduled && !closed.get()) {
            retryScheduled = true;
            link.schedule(() -> {
                retryScheduled = false;
                refresh(); // writes everything if the connection is up; else the reconnect will
            }, RETRY_MILLIS);
        }
    }

    private static List<String> drain(Set<String> dirty) {
        List<String> drained = new ArrayList<>();
        for (var it = dirty.iterator(); it.hasNext(); ) {
            drained.add(it.next());
            it.remove();
        }
        return drained;
    }

    private static byte[] count(Long n) {
        return n == null || n <= 0 ? null : bytes(n.toString());
    }

    private static Map<String, byte[]> counts(Map<String, Long> counts) {
        Map<String, byte[]> out = new HashMap<>();
        counts.forEach((k, n) -> {
            byte[] v = count(n);
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Deletes this node's keys, waiting up to 3 s; later writes are dropped. */
    void close() {
        if (!closed.compareAndSet(false, true) || link.isClosed()) {
            return;
        }
        try {
            link.executor().submit(this::deleteKeys).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            RedisLink.log.debug("node {}: could not remove its presence: {}", nodeId, e.toString());
        }
    }

    /** Link thread: after every write this node queued, so nothing recreates the keys. */
    private void deleteKeys() {
        RedisClusterAsyncCommands<String, byte[]> r = link.async();
        if (r == null) {
            return;
        }
        r.srem(keys.nodes(), bytes(nodeId));
        try {
            r.del(keys.alive(nodeId), keys.clients(nodeId), keys.users(nodeId), keys.tags(nodeId)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            RedisLink.log.debug("node {}: could not remove its presence: {}", nodeId, e.toString());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
