package io.wshub.redis;

import io.wshub.Target;
import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Broker} over several independent Redis instances ({@link ShardedRedis}).
 *
 * <h2>Routing</h2>
 * A user or tag channel ({@link RedisKeys}) lives on the shard the {@link HashRing} gives its
 * name: the node subscribes there while it holds such a connection, and sends go there. Every
 * node subscribes to {@code all} and to its own node channel on every shard, so a send to
 * everyone or to a client id goes to the ring's shard for that channel and, when that shard is
 * down, to the next shard up: those sends survive the loss of any shard but the last.
 *
 * <h2>Guarantees</h2>
 * Those of {@link RedisBroker} per shard: at most once, and one publisher's sends to one user
 * or tag stay in order (one shard, one channel). {@link #publish} returns false at once when
 * the shard of a user or tag is down; sends to targets on the other shards go on. While a
 * send to everyone or a client id falls back to another shard, its order against earlier sends
 * is not kept.
 *
 * <h2>Threads</h2>
 * Any thread, never blocks; envelopes reach the sink on each shard's Lettuce I/O thread.
 */
final class ShardedBroker implements Broker {
    private final HashRing<RedisShard> ring;
    private final RedisKeys keys;

    ShardedBroker(HashRing<RedisShard> ring) {
        this.ring = ring;
        this.keys = ring.shards().get(0).link().keys;
    }

    @Override
    public void start(String nodeId, Sink sink) {
        ring.shards().forEach(shard -> shard.broker().start(nodeId, sink));
    }

    @Override
    public void subscribe(Target target) {
        ring.shardFor(keys.channel(target)).broker().subscribe(target);
    }

    /** A user or tag lives on one shard; everyone and node channels are subscribed on every shard. */
    @Override
    public CompletionStage<Void> whenSubscribed(Target target) {
        String channel = keys.channel(target);
        if (channel == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (target.kind() == Target.Kind.USER || target.kind() == Target.Kind.TAG) {
            return ring.shardFor(channel).broker().whenSubscribed(target);
        }
        return CompletableFuture.allOf(ring.shards().stream()
                .map(shard -> shard.broker().whenSubscribed(target).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void unsubscribe(Target target) {
        ring.shardFor(keys.channel(target)).broker().unsubscribe(target);
    }

    @Override
    public boolean publish(Envelope envelope) {
        String channel = keys.channel(envelope.target());
        if (channel == null) {
            return true; // a client id that names no node: there is nobody to reach
        }
        return switch (envelope.target().kind()) {
            case USER, TAG -> ring.shardFor(channel).broker().publish(envelope);
            case ALL, CLIENT -> {
                for (RedisShard shard : ring.preference(channel)) {
                    if (shard.broker().publish(envelope)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    @Override
    public void close() {
        ring.shards().forEach(shard -> shard.broker().close());
    }
}
