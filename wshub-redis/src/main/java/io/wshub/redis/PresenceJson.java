package io.wshub.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshub.ClientInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One connection in a node's presence hash, as JSON with the field names of
 * {@code GET /api/clients} and times in epoch milliseconds (the node comes from the key):
 * {@code {"userId":"42","ip":"10.0.0.7","userAgent":"...","tags":["room1"],"connectedAt":1763760000000,"lastSeenAt":...}}.
 * {@code lastSeenAt} is as of the last change the node wrote (connect or tag change); a node
 * answers with fresh values for its own connections.
 */
final class PresenceJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PresenceJson() {}

    static byte[] encode(ClientInfo c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("userId", c.userId());
        o.put("ip", c.ip());
        o.put("userAgent", c.userAgent());
        c.tags().forEach(o.putArray("tags")::add);
        o.put("connectedAt", c.connectedAt().toEpochMilli());
        o.put("lastSeenAt", c.lastSeenAt().toEpochMilli());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClientInfo decode(String id, String node, byte[] json) {
        try {
            JsonNode o = JSON.readTree(json);
            Set<String> tags = new LinkedHashSet<>();
            o.path("tags").forEach(t -> tags.add(t.asText()));
            return new ClientInfo(id, text(o, "userId"), text(o, "ip"), text(o, "userAgent"), Set.copyOf(tags),
                    Instant.ofEpochMilli(o.path("connectedAt").asLong()), Instant.ofEpochMilli(o.path("lastSeenAt").asLong()),
                    node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
