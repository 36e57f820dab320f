package io.wshub.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.wshub.Target;
import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Broker} over Redis pub/sub.
 *
 * <h2>Routing</h2>
 * A send goes to one channel (see {@link RedisKeys}): {@code wshub:user:42},
 * {@code wshub:tag:room1}, {@code wshub:node:a} for a client id made on node {@code a}, or
 * {@code wshub:all}. A node subscribes to {@code all} and its own node channel, and to a user
 * or tag channel only while it has a connection for it, so a send to one user wakes only the
 * nodes where that user is connected. Each receiving node decodes the envelope once and
 * encodes the frame once for all its connections. Wire format: {@link EnvelopeCodec}.
 *
 * <h2>Guarantees</h2>
 * At most once, as Redis pub/sub: a node that is disconnected when a message is published
 * never gets it. Messages from one publisher on one channel arrive in order (one connection,
 * one channel); nothing is ordered across channels or publishers. {@link #publish} returns
 * false at once while the link knows the connection is down (Lettuce saw it drop, or Redis
 * missed two PINGs, see {@link RedisLink}), and also when 16 MiB of publishes are held by
 * Lettuce, so nothing is buffered without bound.
 *
 * <h2>The 16 MiB budget</h2>
 * A publish takes its bytes from the budget and gives them back when Redis answers it, or
 * when it fails without having been sent. A publish that times out (5 s) is not given back:
 * Lettuce still holds it until Redis answers or the connection drops. Its bytes come back when
 * a later command is answered (Redis answers in order, so the timed-out ones were answered
 * too) or a PING is; a drop of the connection starts a fresh budget (what the old connection
 * held is freed or, for commands Lettuce re-sends after the reconnect, bounded by
 * {@link RedisLink#REQUEST_QUEUE_SIZE}).
 *
 * <h2>Threads</h2>
 * {@link #subscribe}/{@link #unsubscribe}/{@link #publish}: any thread, never block. Envelopes
 * reach the sink on Lettuce's I/O thread.
 */
public final class RedisBroker implements Broker {
    private final RedisLink link;
    private final Subscriptions subscriptions;
    private final AtomicReference<PublishBudget> budget = new AtomicReference<>(new PublishBudget());
    private volatile String nodeId;
    private volatile Sink sink;

    RedisBroker(RedisLink link) {
        this.link = link;
        this.subscriptions = new Subscriptions(link);
    }

    @Override
    public void start(String nodeId, Sink sink) {
        this.nodeId = nodeId;
        this.sink = sink;
        subscriptions.add(link.keys.channel(Target.ALL));
        subscriptions.add(link.keys.nodeChannel(nodeId));
        link.listen(new Listener());
        link.onPubSubUp(subscriptions::resubscribeAll);
        link.onCommandsDown(() -> budget.set(new PublishBudget()));
        link.onPong(() -> budget.get().answered(0));
        link.start(nodeId);
    }

    @Override
    public void subscribe(Target target) {
        subscriptions.add(link.keys.channel(target));
    }

    @Override
    public CompletionStage<Void> whenSubscribed(Target target) {
        String channel = link.keys.channel(target);
        return channel == null ? CompletableFuture.completedFuture(null) : subscriptions.whenActive(channel);
    }

    @Override
    public void unsubscribe(Target target) {
        subscriptions.remove(link.keys.channel(target));
    }

    @Override
    public boolean publish(Envelope envelope) {
        String channel = link.keys.channel(envelope.target());
        if (channel == null) {
            return true; // a client id that names no node: there is nobody to reach
        }
        StatefulRedisConnection<String, byte[]> c = link.commands();
        if (c == null) {
            return false;
        }
        byte[] message = EnvelopeCodec.encode(envelope);
        PublishBudget b = budget.get();
        int size = message.length;
        if (!b.take(size)) {
            return false;
        }
        return b.track(c.async().publish(channel, message), size);
    }

    /** Receives from the subscribed channels, on Lettuce's I/O thread. */
    private final class Listener extends RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            Delivery.deliver(nodeId, sink, channel, message);
        }

        @Override
        public void subscribed(String channel, long count) {
            subscriptions.confirmed(channel);
        }

        @Override
        public void unsubscribed(String channel, long count) {
            subscriptions.gone(channel);
        }
    }

    /** What this broker is subscribed to, for {@link RedisHistory#ready}. */
    Subscriptions subscriptions() {
        return subscriptions;
    }

    @Override
    public void close() {
        link.release();
    }
}
