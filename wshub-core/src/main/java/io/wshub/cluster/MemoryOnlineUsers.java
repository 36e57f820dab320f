package io.wshub.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link OnlineUsers} in memory: one node, or several hubs in one JVM sharing one instance
 * (nodes there never die alone). The time source is injected for tests. Thread-safe: every
 * method holds the instance's lock for a few map operations.
 */
public final class MemoryOnlineUsers implements OnlineUsers {
    private final LongSupplier nanoTime;
    /** Guarded by {@code this}: open connections per online user. */
    private final Map<String, Integer> connections = new HashMap<>();
    /** Guarded by {@code this}: online users without a connection, and since when (nanoTime). */
    private final Map<String, Long> goneSince = new HashMap<>();

    public MemoryOnlineUsers() {
        this(System::nanoTime);
    }

    public MemoryOnlineUsers(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void start(String nodeId) {}

    @Override
    public synchronized CompletionStage<Boolean> connected(String userId) {
        boolean wasOffline = !connections.containsKey(userId) && goneSince.remove(userId) == null;
        connections.merge(userId, 1, Integer::sum);
        return CompletableFuture.completedFuture(wasOffline);
    }

    @Override
    public synchronized CompletionStage<Void> disconnected(String userId) {
        Integer n = connections.get(userId);
        if (n != null) {
            if (n > 1) {
                connections.put(userId, n - 1);
            } else {
                connections.remove(userId);
                goneSince.put(userId, nanoTime.getAsLong());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<String>> sweep(Duration grace) {
        long now = nanoTime.getAsLong();
        List<String> offline = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = goneSince.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() >= grace.toNanos()) {
                offline.add(e.getKey());
                it.remove();
            }
        }
        return CompletableFuture.completedFuture(offline);
    }

    @Override
    public void close() {}
}
