package io.wshub.redis;

import io.wshub.ClientInfo;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's connections as presence knows them, with per-user and per-tag counts, and what
 * changed since the last write to Redis. Updated from event loops (and from worker threads for
 * joins and quits): every method is a few concurrent-map operations and never blocks.
 *
 * <p>Counts are updated by deltas that always balance (a connection adds what it later
 * removes), so two threads racing for one connection still leave the right count; a count may
 * dip below zero for an instant and only a positive count is published.
 */
final class NodeState {
    final Map<String, ClientInfo> clients = new ConcurrentHashMap<>();
    final Map<String, Long> users = new ConcurrentHashMap<>();
    final Map<String, Long> tags = new ConcurrentHashMap<>();
    final Set<String> dirtyClients = ConcurrentHashMap.newKeySet();
    final Set<String> dirtyUsers = ConcurrentHashMap.newKeySet();
    final Set<String> dirtyTags = ConcurrentHashMap.newKeySet();

    void connected(ClientInfo c) {
        if (clients.putIfAbsent(c.id(), c) == null) {
            count(users, dirtyUsers, c.userId(), 1);
            c.tags().forEach(tag -> count(tags, dirtyTags, tag, 1));
        }
        dirtyClients.add(c.id());
    }

    void disconnected(ClientInfo c) {
        ClientInfo old = clients.remove(c.id());
        if (old != null) {
            count(users, dirtyUsers, old.userId(), -1);
            old.tags().forEach(tag -> count(tags, dirtyTags, tag, -1));
        }
        dirtyClients.add(c.id());
    }

    /** The tags changed; ignored for a connection that already left. */
    void changed(ClientInfo c) {
        ClientInfo[] old = {null};
        clients.computeIfPresent(c.id(), (id, previous) -> {
            old[0] = previous;
            return c;
        });
        if (old[0] == null) {
            return;
        }
        c.tags().stream().filter(t -> !old[0].tags().contains(t)).forEach(t -> count(tags, dirtyTags, t, 1));
        old[0].tags().stream().filter(t -> !c.tags().contains(t)).forEach(t -> count(tags, dirtyTags, t, -1));
        dirtyClients.add(c.id());
    }

    boolean isEmpty() {
        return clients.isEmpty();
    }

    void clearDirty() {
        dirtyClients.clear();
        dirtyUsers.clear();
        dirtyTags.clear();
    }

    private static void count(Map<String, Long> counts, Set<String> dirty, String key, long delta) {
        if (key == null) {
            return;
        }
        counts.compute(key, (k, n) -> {
            long sum = (n == null ? 0 : n) + delta;
            return sum == 0 ? null : sum;
        });
        dirty.add(key);
    }
}
