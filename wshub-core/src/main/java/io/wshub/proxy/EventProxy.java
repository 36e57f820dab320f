package io.wshub.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.Handler;
import io.wshub.WsException;
import io.wshub.protocol.Protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Forwards client events that no Java handler serves to an HTTP backend (docs/backend.md
 * "Event proxy"): POSTs {@code {client, user, event, data, seqno, meta}} to the first matching
 * route and turns the answer {@code {code, data, errorMsg}} into the client's reply, in either
 * codec. Installed with {@link io.wshub.WsHub#onUnhandled}. Never blocks: the connection's
 * next message waits for the answer (see {@link Context#async}), other connections do not.
 */
public final class EventProxy implements Handler {
    private final List<ProxyRoute> routes;
    private final Backend backend;

    public EventProxy(List<ProxyRoute> routes, Backend backend) {
        this.routes = List.copyOf(routes);
        this.backend = backend;
    }

    @Override
    public void handle(Context ctx) {
        ProxyRoute route = route(ctx.event());
        if (route == null) {
            throw new WsException(Protocol.NOT_FOUND, "unknown event");
        }
        byte[] body = payload(ctx);
        ctx.async(backend.post("event", route.match(), route.url(), route.timeout(), body, EventProxy::wellFormed)
                .handle((answer, failure) -> {
                    if (failure != null) {
                        BackendException e = BackendException.of(failure);
                        ctx.error(e.code(), e.getMessage());
                    } else {
                        reply(ctx, answer);
                    }
                    return null;
                }));
    }

    private ProxyRoute route(String event) {
        for (ProxyRoute r : routes) {
            if (r.matches(event)) {
                return r;
            }
        }
        return null;
    }

    /** {@code code} 0 (or absent) replies with {@code data}; any other is an error with {@code errorMsg}. */
    private static void reply(Context ctx, JsonNode answer) {
        int code = answer.path("code").asInt(0);
        if (code == Protocol.OK) {
            JsonNode data = answer.get("data");
            ctx.reply(data == null || data.isNull() ? null : data);
        } else {
            String msg = answer.path("errorMsg").asText("");
            ctx.error(code, msg.isEmpty() ? "error" : msg);
        }
    }

    static boolean wellFormed(JsonNode answer) {
        JsonNode code = answer.get("code");
        JsonNode msg = answer.get("errorMsg");
        return (code == null || code.isIntegralNumber() && code.canConvertToInt())
                && (msg == null || msg.isTextual() || msg.isNull());
    }

    /** The request body; {@code data} is copied raw, never parsed and re-encoded. */
    static byte[] payload(Context ctx) {
        Connection conn = ctx.connection();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + ctx.rawData().bytes().length);
        try (JsonGenerator g = Backend.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("client", conn.id());
            g.writeStringField("user", conn.userId());
            g.writeStringField("event", ctx.event());
            g.writeFieldName("data");
            g.writeRawValue(ctx.rawData().json());
            g.writeStringField("seqno", ctx.seqno());
            g.writeFieldName("meta");
            Meta.write(g, conn, ctx.hub().nodeId());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reachable: an in-memory stream
        }
        return out.toByteArray();
    }

    /** {@code {ip, userAgent, tags, node[, connect]}}: who sends, shared by the event and join proxies. */
    static final class Meta {
        private Meta() {}

        static void write(JsonGenerator g, Connection conn, String node) throws IOException {
            g.writeStartObject();
            g.writeStringField("ip", conn.ip());
            g.writeStringField("userAgent", conn.userAgent());
            g.writeArrayFieldStart("tags");
            for (String t : new TreeSet<>(conn.tags())) {
                g.writeString(t);
            }
            g.writeEndArray();
            g.writeStringField("node", node);
            Map<String, Object> connect = conn.attribute("meta");
            if (connect != null) {
                g.writeFieldName("connect");
                Backend.JSON.writeValue(g, connect);
            }
            g.writeEndObject();
        }
    }
}
