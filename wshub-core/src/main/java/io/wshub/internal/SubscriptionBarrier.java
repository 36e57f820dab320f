package io.wshub.internal;

import io.wshub.Target;
import io.wshub.cluster.Broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Holds back what tells a client "you are reachable" (the {@code connected} event, a
 * {@code join} reply) until the broker's subscriptions for it are live (docs/protocol.md §6):
 * a send made from any node right after the client saw it must reach it. Without a broker,
 * or once a subscription is live, nothing waits. Redis trouble never holds a connection for
 * long: the broker answers at once while it is down, and the wait gives up after
 * {@link #MAX_WAIT_MILLIS}.
 */
final class SubscriptionBarrier {
    /** Far above a subscribe round trip (well under 1 ms on a LAN); short enough that a stuck broker is only a hiccup. */
    static final long MAX_WAIT_MILLIS = 2000;

    private final Broker broker;

    SubscriptionBarrier(Broker broker) {
        this.broker = broker;
    }

    /** Completes when sends to every one of {@code targets} reach this node (or the wait gave up). */
    CompletionStage<Void> ready(Target... targets) {
        if (broker == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[targets.length];
        boolean done = true;
        for (int i = 0; i < targets.length; i++) {
            CompletableFuture<Void> f;
            try {
                f = broker.whenSubscribed(targets[i]).toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(null); // a broker bug must not hold connections
            }
            all[i] = f.exceptionally(e -> null);
            done &= f.isDone();
        }
        if (done) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(all).completeOnTimeout(null, MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The targets a new connection must be reachable at: its own id, its user and everyone. */
    static Target[] of(RealConnection conn) {
        return conn.userId() == null ? new Target[] {Target.client(conn.id()), Target.ALL}
                : new Target[] {Target.client(conn.id()), Target.user(conn.userId()), Target.ALL};
    }
}
