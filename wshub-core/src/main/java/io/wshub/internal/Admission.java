package io.wshub.internal;

import io.netty.channel.Channel;
import io.wshub.Limits;
import io.wshub.Target;
import io.wshub.cluster.Presence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The optional caps on who may open a connection (docs/limits.md): connections per IP and per
 * user, and upgrade attempts per second per IP. Each is off at 0. A connection holds its
 * slots from the check until its channel closes, so refused and failed upgrades give theirs
 * back too. The user cap counts this node's connections plus, through {@link Presence}, the
 * other nodes' (a soft cap: two nodes admitting at the same instant may both pass).
 *
 * <p>Thread-safe: called from every event loop.
 */
final class Admission {
    /** Handshake buckets kept before idle (full) ones are dropped: bounds memory under many IPs. */
    private static final int MAX_BUCKETS = 10_000;

    /** Why an upgrade is refused: the status, the client's message and the metrics reason. */
    record Refusal(int status, String message, String reason) {}

    static final Refusal IP_LIMIT = new Refusal(429, "too many connections from this IP", "ip_limit");
    static final Refusal USER_LIMIT = new Refusal(429, "too many connections for this user", "user_limit");
    static final Refusal HANDSHAKE_RATE = new Refusal(429, "too many handshakes from this IP", "handshake_rate");

    private final int perIp;
    private final int perUser;
    private final int handshakesPerSecond;
    private final Presence presence;
    private final ConcurrentHashMap<String, AtomicInteger> byIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> byUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> handshakes = new ConcurrentHashMap<>();

    Admission(Limits limits, Presence presence) {
        this.perIp = limits.maxConnectionsPerIp();
        this.perUser = limits.maxConnectionsPerUser();
        this.handshakesPerSecond = limits.handshakesPerSecondPerIp();
        this.presence = presence;
    }

    /** Checks the IP caps and takes an IP slot until {@code ch} closes; null when admitted. */
    Refusal admitIp(Channel ch, String ip) {
        if (handshakesPerSecond > 0 && !bucket(ip).take(handshakesPerSecond)) {
            return HANDSHAKE_RATE;
        }
        return perIp > 0 && !reserve(byIp, ip, perIp, ch) ? IP_LIMIT : null;
    }

    /** Checks the user cap, this node's and then the cluster's, taking a slot until {@code ch} closes. */
    CompletionStage<Refusal> admitUser(Channel ch, String user) {
        if (perUser <= 0 || user == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!reserve(byUser, user, perUser, ch)) {
            return CompletableFuture.completedFuture(USER_LIMIT);
        }
        int here = byUser.getOrDefault(user, new AtomicInteger()).get();
        return presence.countElsewhere(Target.user(user))
                .thenApply(elsewhere -> here + elsewhere > perUser ? USER_LIMIT : null)
                .exceptionally(e -> null); // presence down: this node's count is all there is
    }

    private static boolean reserve(ConcurrentHashMap<String, AtomicInteger> counts, String key, int cap, Channel ch) {
        AtomicInteger n = counts.compute(key, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            c.incrementAndGet();
            return c;
        });
        ch.closeFuture().addListener(f -> release(counts, key));
        return n.get() <= cap;
    }

    private static void release(ConcurrentHashMap<String, AtomicInteger> counts, String key) {
        counts.computeIfPresent(key, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    private Bucket bucket(String ip) {
        Bucket b = handshakes.get(ip);
        if (b != null) {
            return b;
        }
        if (handshakes.size() >= MAX_BUCKETS) {
            long now = System.nanoTime();
            handshakes.values().removeIf(old -> old.isFull(now, handshakesPerSecond));
        }
        return handshakes.computeIfAbsent(ip, k -> new Bucket(handshakesPerSecond));
    }

    /** A token bucket of {@code rate} per second with a burst of {@code rate}. */
    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(int rate) {
            this.tokens = rate;
        }

        synchronized boolean take(int rate) {
            refill(System.nanoTime(), rate);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean isFull(long now, int rate) {
            refill(now, rate);
            return tokens >= rate;
        }

        private void refill(long now, int rate) {
            tokens = Math.min(rate, tokens + (now - refilledAt) * rate / 1e9);
            refilledAt = now;
        }
    }
}
