package io.wshub.redis;

import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;

/** What a Redis broker does with a message from its subscriptions, on Lettuce's I/O thread. */
final class Delivery {
    private Delivery() {}

    /** Decodes {@code message} and hands it to {@code sink}, unless it is this node's own send. */
    static void deliver(String nodeId, Broker.Sink sink, String channel, byte[] message) {
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.decode(message);
        } catch (IllegalArgumentException e) {
            RedisLink.log.warn("node {}: dropped a message on {} that is not a wshub envelope: {}",
                    nodeId, channel, e.getMessage());
            return;
        }
        if (nodeId.equals(envelope.origin()) && envelope.position() == null) {
            return; // our own publish, already delivered here (history sends are not: see RedisHistory)
        }
        try {
            sink.deliver(envelope);
        } catch (RuntimeException e) {
            RedisLink.log.warn("node {}: delivering {} from {} failed: {}", nodeId, envelope.target(),
                    envelope.origin(), e.toString());
        }
    }
}
