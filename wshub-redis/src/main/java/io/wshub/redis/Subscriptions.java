package io.wshub.redis;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The channels a node wants, kept in step with Redis. Event loops only count (never touch
 * Redis); the link's thread compares what is wanted with what was asked for and sends one
 * SUBSCRIBE and one UNSUBSCRIBE per batch, so changes go out in order and a burst of joins
 * costs one command.
 *
 * <p>Convergence: the hub's subscribe/unsubscribe calls for one target can arrive out of order
 * from two event loops, hence counts rather than a set. A failed SUBSCRIBE is retried; after a
 * reconnect every wanted channel is subscribed again ({@link #resubscribeAll}); a
 * subscription Redis confirms for a channel no longer wanted (Lettuce resubscribes what it
 * knew) is undone.
 */
final class Subscriptions {
    private static final long RETRY_MILLIS = 1000;

    private final RedisLink link;
    /** Channel -> subscribe calls minus unsubscribe calls; present only while positive. */
    private final WantedChannels wanted = new WantedChannels();
    /** Channels whose wanted state changed since the last sync. */
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    /** What this node asked Redis for. Link thread only. */
    private final Set<String> asked = new HashSet<>();
    /** Channels Redis confirmed on the current pub/sub connection; cleared on a reconnect. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    /** Set once the first pub/sub connection is up: before it, waiting is right (a node starting); after, a missing connection is an outage. */
    private volatile boolean everUp;
    /** Callers of {@link #whenActive} waiting for a confirmation. */
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    Subscriptions(RedisLink link) {
        this.link = link;
    }

    /** Any thread; never blocks. */
    void add(String channel) {
        if (wanted.add(channel)) {
            changed(channel);
        }
    }

    /** Any thread; never blocks. */
    void remove(String channel) {
        if (wanted.remove(channel)) {
            // Not active from now on: an UNSUBSCRIBE is on its way, and a recovery that starts
            // before it lands must wait for the next SUBSCRIBE's confirmation, not trust this one.
            active.remove(channel);
            changed(channel);
        }
    }

    boolean wants(String channel) {
        return wanted.contains(channel);
    }

    int size() {
        return wanted.size();
    }

    /**
     * Completes once Redis confirmed {@code channel} on the current connection, at once if it
     * has. During an outage (no pub/sub connection after there was one) it completes at once
     * too: nothing can be received then, and the hub must not wait for Redis to come back.
     * Any thread.
     */
    CompletableFuture<Void> whenActive(String channel) {
        if (active.contains(channel) || (everUp && link.pubSub() == null)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = waiting.computeIfAbsent(channel, c -> new CompletableFuture<>());
        if (active.contains(channel)) { // confirmed while we were registering
            waiting.remove(channel, f);
            f.complete(null);
        }
        return f;
    }

    /** Redis ended a subscription (Lettuce's thread). */
    void gone(String channel) {
        active.remove(channel);
    }

    /** Redis confirmed a subscription (Lettuce's thread). */
    void confirmed(String channel) {
        active.add(channel);
        CompletableFuture<Void> f = waiting.remove(channel);
        if (f != null) {
            f.complete(null);
        }
        if (!wanted.contains(channel)) {
            link.run(() -> {
                asked.add(channel);
                changed(channel);
            });
        }
    }

    /** After a (re)connect, on the link's thread: a new connection has none of our channels. */
    void resubscribeAll() {
        asked.clear();
        active.clear();
        everUp = true;
        dirty.addAll(wanted.channels());
        sync();
    }

    private void changed(String channel) {
        dirty.add(channel);
        scheduleSync(0);
    }

    private void scheduleSync(long delayMillis) {
        if (syncScheduled.compareAndSet(false, true)) {
            link.schedule(this::sync, delayMillis);
        }
    }

    /** Link thread. */
    private void sync() {
        syncScheduled.set(false);
        StatefulRedisPubSubConnection<String, byte[]> ps = link.pubSub();
        if (ps == null) {
            return; // resubscribeAll runs when the connection comes (back)
        }
        List<String> subscribe = new ArrayList<>();
        List<String> unsubscribe = new ArrayList<>();
        for (Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
            String channel = it.next();
            it.remove();
            if (wanted.contains(channel)) {
                if (asked.add(channel)) {
                    subscribe.add(channel);
                }
            } else if (asked.remove(channel)) {
                active.remove(channel);
                unsubscribe.add(channel);
            }
        }
        if (!subscribe.isEmpty()) {
            ps.async().subscribe(subscribe.toArray(String[]::new)).whenComplete((ok, error) -> {
                if (error != null) {
                    link.run(() -> retry(subscribe));
                }
            });
        }
        if (!unsubscribe.isEmpty()) {
            // A failure leaves an unwanted subscription: harmless, and gone at the next reconnect.
            ps.async().unsubscribe(unsubscribe.toArray(String[]::new));
        }
    }

    private void retry(List<String> channels) {
        asked.removeAll(channels);
        dirty.addAll(channels);
        scheduleSync(RETRY_MILLIS);
    }
}
