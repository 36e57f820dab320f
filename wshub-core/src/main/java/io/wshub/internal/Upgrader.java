package io.wshub.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.wshub.auth.AuthException;
import io.wshub.auth.AuthMode;
import io.wshub.auth.Authenticator;
import io.wshub.auth.Identity;
import io.wshub.http.HttpReply;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * Turns an upgrade request into a connection (SPEC §2): checks the Origin (403), finds and
 * verifies the token (401) before any upgrade, then hands the channel to the WebSocket
 * handshaker and sets up the frame pipeline.
 */
final class Upgrader {
    /** Replies made while reading are flushed once per read burst (one syscall for many); others at once. */
    private static final int FLUSHES_BEFORE_FORCED_FLUSH = 256;

    private final RealHub hub;
    private final WebSocketDecoderConfig decoderConfig;
    private final WebSocketDecoderConfig deflateDecoderConfig;
    private final List<Pattern> origins;

    Upgrader(RealHub hub) {
        this.hub = hub;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(hub.config.maxMessageBytes())
                .allowExtensions(false)
                // Protocol violations reach FrameHandler, which answers 413 before closing 1009.
                .closeOnProtocolViolation(false)
                .build();
        // RSV1 is allowed only where permessage-deflate was negotiated.
        this.deflateDecoderConfig = decoderConfig.toBuilder().allowExtensions(true).build();
        this.origins = hub.config.allowedOrigins().stream().map(Upgrader::wildcard).toList();
    }

    /** Takes ownership of {@code req}. Runs on the channel's event loop. */
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        if (!req.method().equals(HttpMethod.GET) || !req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            refuse(ctx, req, 400, "expected a WebSocket upgrade request", "bad_request");
            return;
        }
        if (!hub.isAccepting()) {
            refuse(ctx, req, 503, "server is shutting down", "draining");
            return;
        }
        if (!originAllowed(req)) {
            refuse(ctx, req, 403, "origin not allowed", "origin");
            return;
        }
        AuthMode mode = hub.config.authMode();
        String token = mode == AuthMode.OFF ? null : token(req, uri);
        if (token == null) {
            if (mode == AuthMode.REQUIRED) {
                refuse(ctx, req, 401, "missing token", "missing_token");
            } else {
                accept(ctx, req, null);
            }
            return;
        }
        Authenticator auth = hub.config.auth();
        if (auth == null) {
            refuse(ctx, req, 401, "no authenticator configured", "invalid_token");
        } else if (!auth.mayBlock()) {
            verified(ctx, req, auth, token);
        } else {
            try {
                hub.workers.execute(() -> verifyOffLoop(ctx, req, auth, token));
            } catch (RejectedExecutionException e) {
                refuse(ctx, req, 503, "server busy", "busy");
            }
        }
    }

    private void verifyOffLoop(ChannelHandlerContext ctx, FullHttpRequest req, Authenticator auth, String token) {
        Identity identity;
        try {
            identity = auth.verify(token);
        } catch (AuthException e) {
            ctx.executor().execute(() -> refuse(ctx, req, 401, e.getMessage(), reason(e)));
            return;
        } catch (RuntimeException e) {
            ctx.executor().execute(() -> authenticatorFailed(ctx, req, e));
            return;
        }
        ctx.executor().execute(() -> accept(ctx, req, identity));
    }

    private void verified(ChannelHandlerContext ctx, FullHttpRequest req, Authenticator auth, String token) {
        Identity identity;
        try {
            identity = auth.verify(token);
        } catch (AuthException e) {
            refuse(ctx, req, 401, e.getMessage(), reason(e));
            return;
        } catch (RuntimeException e) {
            authenticatorFailed(ctx, req, e);
            return;
        }
        accept(ctx, req, identity);
    }

    /** An authenticator that throws is the server's fault, not the client's: 500, logged once. */
    private void authenticatorFailed(ChannelHandlerContext ctx, FullHttpRequest req, RuntimeException e) {
        RealHub.log.warn("authenticator failed: {}", e.toString());
        refuse(ctx, req, 500, "authentication failed", "auth_error");
    }

    private void accept(ChannelHandlerContext ctx, FullHttpRequest req, Identity identity) {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            req.release();
            return;
        }
        WebSocketServerExtension deflate = hub.compression == null ? null : hub.compression.negotiate(req.headers());
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri(), null,
                deflate == null ? decoderConfig : deflateDecoderConfig)
                .newHandshaker(req);
        if (handshaker == null) {
            req.release();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
            hub.metrics.handshakeFailed("version");
            return;
        }
        ChannelFuture handshake;
        try {
            // Validates the request (key, Connection: Upgrade) before touching the pipeline, then
            // puts its frame encoder and decoder in and answers 101.
            HttpHeaders extensions = deflate == null ? null
                    : new DefaultHttpHeaders().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, Compression.responseHeader(deflate));
            handshake = handshaker.handshake(ch, req, extensions, ch.newPromise());
        } catch (WebSocketHandshakeException e) {
            refuse(ctx, req, 400, "bad WebSocket upgrade: " + e.getMessage(), "bad_request");
            return;
        }
        RealConnection conn = new RealConnection(ch, hub, hub.ids.next(), identity == null ? null : identity.userId(),
                remoteIp(ch), req.headers().get(HttpHeaderNames.USER_AGENT));
        req.release();
        ChannelPipeline p = ctx.pipeline();
        if (deflate != null) {
            p.addAfter("wsdecoder", "ws-inflate", deflate.newExtensionDecoder());
            conn.deflate(true);
        }
        p.addLast("ws-flush", new FlushConsolidationHandler(FLUSHES_BEFORE_FORCED_FLUSH, false));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(hub.config.maxMessageBytes()));
        p.addLast("ws-frames", new FrameHandler(conn));
        p.remove(HubInitializer.READ_TIMEOUT); // the heartbeat watches upgraded connections
        p.remove(ctx.handler());
        conn.upgraded();
        // Counted in at once, not when the 101 has left: a client that sees its socket open is
        // already in presence and reachable. Frames written now queue behind the 101.
        hub.connected(conn, identity);
        handshake.addListener(f -> {
            if (!f.isSuccess()) {
                hub.metrics.handshakeFailed("handshake");
                ch.close();
            }
        });
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, int status, String message, String reason) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (RealHub.log.isDebugEnabled()) { // the path only: a query may carry the token
            RealHub.log.debug("upgrade refused: status={} reason={} address={} path={} message=\"{}\"", status, reason,
                    remoteIp(ctx.channel()), new QueryStringDecoder(req.uri()).path(), message);
        }
        req.release();
        hub.metrics.handshakeFailed(reason);
        HttpEntryHandler.respond(ctx, HttpReply.error(status, message), keepAlive);
    }

    private static String reason(AuthException e) {
        return e.getMessage().startsWith("token expired") ? "expired_token" : "invalid_token";
    }

    /** SPEC §2: the Authorization header, then query {@code authorization}, then query {@code token}. */
    static String token(FullHttpRequest req, QueryStringDecoder uri) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return emptyToNull(header.substring(7).trim());
        }
        List<String> values = uri.parameters().get("authorization");
        if (values != null && !values.isEmpty()) {
            String v = values.get(0);
            return emptyToNull(v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : v.trim());
        }
        values = uri.parameters().get("token");
        return values == null || values.isEmpty() ? null : emptyToNull(values.get(0).trim());
    }

    private boolean originAllowed(FullHttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true; // not a browser
        }
        for (Pattern p : origins) {
            if (p.matcher(origin).matches()) {
                return true;
            }
        }
        // Same origin: the page was served by this host.
        String host = req.headers().get(HttpHeaderNames.HOST);
        return host != null && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host));
    }

    static Pattern wildcard(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    static String remoteIp(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
