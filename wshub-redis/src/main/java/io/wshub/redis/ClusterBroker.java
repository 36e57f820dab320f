package io.wshub.redis;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.wshub.Target;
import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Broker} over Redis Cluster sharded pub/sub ({@link ClusteredRedis}): the channels of
 * {@link RedisKeys} are shard channels, each in the slot of its name, so a send is one SPUBLISH
 * to that slot's master (which forwards it to its replicas only, not to the whole cluster) and
 * a node SSUBSCRIBEs there ({@link ShardChannels}) while it holds a connection of the user or
 * tag, always for {@code all} and its own node channel.
 *
 * <h2>Guarantees</h2>
 * Those of {@link RedisBroker}: at most once; one publisher's sends to one target arrive in
 * order (one slot, one master, one connection). {@link #publish} returns false at once while
 * the slot's master is known to be down (Lettuce rejects the command) and once 16 MiB of
 * publishes are held ({@link PublishBudget}; with several masters a timed-out publish is
 * released by an answer from any of them, and Lettuce's cap of
 * {@value RedisLink#REQUEST_QUEUE_SIZE} commands per connection still bounds what it holds).
 * During a failover, sends to the failed master's slots are lost until the replica is promoted
 * and both sides have seen the new topology (docs/cluster.md "Redis Cluster").
 *
 * <h2>Threads</h2>
 * Any thread, never blocks; envelopes reach the sink on Lettuce's I/O threads.
 */
final class ClusterBroker implements Broker {
    private final ClusterLink link;
    private final RedisKeys keys;
    private final ShardChannels channels;
    private final PublishBudget budget = new PublishBudget();
    // Set once by start(), before the link connects.
    private volatile String nodeId;
    private volatile Sink sink;

    ClusterBroker(ClusterLink link) {
        this.link = link;
        this.keys = link.keys();
        this.channels = new ShardChannels(link, (channel, message) -> Delivery.deliver(nodeId, sink, channel, message));
    }

    @Override
    public void start(String nodeId, Sink sink) {
        this.nodeId = nodeId;
        this.sink = sink;
        channels.add(keys.channel(Target.ALL));
        channels.add(keys.nodeChannel(nodeId));
        link.start(nodeId);
    }

    @Override
    public void subscribe(Target target) {
        channels.add(keys.channel(target));
    }

    @Override
    public CompletionStage<Void> whenSubscribed(Target target) {
        String channel = keys.channel(target);
        return channel == null ? CompletableFuture.completedFuture(null) : channels.whenActive(channel);
    }

    @Override
    public void unsubscribe(Target target) {
        channels.remove(keys.channel(target));
    }

    @Override
    public boolean publish(Envelope envelope) {
        String channel = keys.channel(envelope.target());
        if (channel == null) {
            return true; // a client id that names no node: there is nobody to reach
        }
        StatefulRedisClusterConnection<String, byte[]> c = link.commands();
        if (c == null) {
            return false;
        }
        byte[] message = EnvelopeCodec.encode(envelope);
        if (!budget.take(message.length)) {
            return false;
        }
        return budget.track(c.async().spublish(channel, message), message.length);
    }

    @Override
    public void close() {
        link.release();
    }
}
