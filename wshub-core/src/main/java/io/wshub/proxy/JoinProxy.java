package io.wshub.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Connection;
import io.wshub.JoinPolicy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy join policy (docs/backend.md "Tag permissions"): a join URL decides each client
 * join. POSTs {@code {client, user, tag, meta}}; the answer {@code {"allow": true|false}}
 * decides, and is remembered for this connection and tag for {@code cacheFor} (zero = ask
 * every time). A backend that fails answers the join with 502 / 504 and is not remembered.
 */
public final class JoinProxy implements JoinPolicy {
    private static final String ROUTE = "join";
    private static final String CACHE = "wshub.joinCache";
    /** Distinct tags remembered per connection: a client cycling through names cannot grow memory. */
    private static final int MAX_CACHED = 256;

    private final URI url;
    private final Duration timeout;
    private final long cacheNanos;
    private final Backend backend;

    public JoinProxy(URI url, Duration timeout, Duration cacheFor, Backend backend) {
        new ProxyRoute(ROUTE, url, timeout); // validates url and timeout
        this.url = url;
        this.timeout = timeout == null ? ProxyRoute.DEFAULT_TIMEOUT : timeout;
        this.cacheNanos = cacheFor == null ? 0 : cacheFor.toNanos();
        this.backend = backend;
    }

    private record Remembered(boolean allow, long untilNanos) {}

    @Override
    public CompletionStage<Boolean> mayJoin(Connection connection, String tag) {
        Map<String, Remembered> cache = cacheNanos > 0 ? cache(connection) : null;
        if (cache != null) {
            Remembered r = cache.get(tag);
            if (r != null && r.untilNanos - System.nanoTime() > 0) {
                return r.allow ? ALLOW : DENY;
            }
        }
        return backend.post("join", ROUTE, url, timeout, payload(connection, tag), JoinProxy::wellFormed)
                .thenApply(answer -> {
                    boolean allow = answer.get("allow").asBoolean();
                    if (cache != null) {
                        if (cache.size() >= MAX_CACHED) {
                            cache.clear();
                        }
                        cache.put(tag, new Remembered(allow, System.nanoTime() + cacheNanos));
                    }
                    return allow;
                });
    }

    private static Map<String, Remembered> cache(Connection connection) {
        synchronized (connection) {
            Map<String, Remembered> cache = connection.attribute(CACHE);
            if (cache == null) {
                cache = new ConcurrentHashMap<>();
                connection.attribute(CACHE, cache);
            }
            return cache;
        }
    }

    static boolean wellFormed(JsonNode answer) {
        return answer.path("allow").isBoolean();
    }

    private byte[] payload(Connection conn, String tag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Backend.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("client", conn.id());
            g.writeStringField("user", conn.userId());
            g.writeStringField("tag", tag);
            g.writeFieldName("meta");
            EventProxy.Meta.write(g, conn, null);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
