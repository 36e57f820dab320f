package io.wshub.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshub.NodeStats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A node's {@link NodeStats} as the value of its {@code alive} key ({@link RedisKeys}), JSON
 * with times in epoch milliseconds (the node comes from the key):
 * {@code {"connections":3,"users":2,"messagesIn":10,"messagesOut":40,"inPerSecond":1.5,
 * "outPerSecond":6.0,"startedAt":1763760000000,"heartbeatAt":1763760042000}}.
 * A node of an older version writes only its heartbeat time there, as a bare number: it reads
 * as a record with that time and zero counts, so a rolling upgrade lists every node.
 */
final class NodeStatsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeStatsJson() {}

    static byte[] encode(NodeStats s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("connections", s.connections());
        o.put("users", s.users());
        o.put("messagesIn", s.messagesIn());
        o.put("messagesOut", s.messagesOut());
        o.put("inPerSecond", s.messagesInPerSecond());
        o.put("outPerSecond", s.messagesOutPerSecond());
        o.put("startedAt", s.startedAt().toEpochMilli());
        o.put("heartbeatAt", s.heartbeatAt().toEpochMilli());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record in {@code value}, or null when the key is gone (the node died meanwhile) or unreadable. */
    static NodeStats decode(String node, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode o = JSON.readTree(value);
            if (o.isNumber()) { // an older node's heartbeat time
                Instant at = Instant.ofEpochMilli(o.asLong());
                return new NodeStats(node, 0, 0, 0, 0, 0, 0, at, at);
            }
            return new NodeStats(node, o.path("connections").asLong(), o.path("users").asLong(),
                    o.path("messagesIn").asLong(), o.path("messagesOut").asLong(),
                    o.path("inPerSecond").asDouble(), o.path("outPerSecond").asDouble(),
                    Instant.ofEpochMilli(o.path("startedAt").asLong()), Instant.ofEpochMilli(o.path("heartbeatAt").asLong()));
        } catch (IOException e) { // not wshub's: leave the node out rather than fail the whole answer
            RedisLink.log.debug("node {}: unreadable stats {}", node, new String(value, StandardCharsets.UTF_8));
            return null;
        }
    }
}
