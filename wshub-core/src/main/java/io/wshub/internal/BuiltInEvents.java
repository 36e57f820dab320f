package io.wshub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Context;
import io.wshub.Handler;
import io.wshub.WsException;
import io.wshub.auth.AuthException;
import io.wshub.auth.Authenticator;
import io.wshub.auth.Identity;
import io.wshub.protocol.Protocol;

import java.util.Map;
import java.util.TreeSet;

/**
 * The events every hub answers (docs/protocol.md §1): {@code ping}, {@code join}, {@code quit} and
 * {@code refresh}. Registered like any handler, so middleware sees them and an application
 * may replace one (to authorize joins, say).
 */
final class BuiltInEvents {
    private BuiltInEvents() {}

    static void register(RealHub hub) {
        hub.on(Protocol.PING_EVENT, ctx -> ctx.reply(null));
        hub.on(Protocol.JOIN_EVENT, ctx -> JoinCheck.join(ctx, tag(ctx), hub.config.joinPolicy(), hub.streams, hub.barrier));
        hub.on(Protocol.QUIT_EVENT, ctx -> {
            ctx.connection().quit(tag(ctx));
            ctx.reply(new TreeSet<>(ctx.connection().tags()));
        });
        Authenticator auth = hub.config.auth();
        Handler refresh = ctx -> refresh(hub, ctx);
        if (auth != null && auth.mayBlock()) {
            hub.onBlocking(Protocol.REFRESH_EVENT, refresh);
        } else {
            hub.on(Protocol.REFRESH_EVENT, refresh);
        }
    }

    private static String tag(Context ctx) {
        String tag = TagIds.of(ctx.data().path("id"));
        if (tag == null) {
            throw new WsException(Protocol.BAD_REQUEST, ctx.event() + " needs data {\"id\": \"<tag>\"}");
        }
        String problem = Protocol.tagProblem(tag);
        if (problem != null) {
            throw new WsException(Protocol.BAD_REQUEST, problem);
        }
        return tag;
    }

    /** A new token for the same user moves the connection's expiry (docs/protocol.md §2). */
    private static void refresh(RealHub hub, Context ctx) {
        Authenticator auth = hub.config.auth();
        if (auth == null || ctx.userId() == null) {
            throw new WsException(Protocol.BAD_REQUEST, "this connection has no token to refresh");
        }
        JsonNode token = ctx.data().path("token");
        if (!token.isTextual()) {
            throw new WsException(Protocol.BAD_REQUEST, "refresh needs data {\"token\": \"<jwt>\"}");
        }
        Identity identity;
        try {
            identity = auth.verify(token.textValue());
        } catch (AuthException e) {
            throw new WsException(Protocol.UNAUTHORIZED, e.getMessage());
        }
        if (!identity.userId().equals(ctx.userId())) {
            throw new WsException(Protocol.FORBIDDEN, "token is for another user");
        }
        RealConnection conn = (RealConnection) ctx.connection();
        conn.channel.eventLoop().execute(() -> conn.heartbeat.expireAt(identity.expiresAt()));
        ctx.reply(Map.of("expiresAt", identity.expiresAt() == null ? 0 : identity.expiresAt().getEpochSecond()));
    }
}
