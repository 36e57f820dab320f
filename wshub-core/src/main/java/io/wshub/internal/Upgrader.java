package io.wshub.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.wshub.ConnectGate;
import io.wshub.auth.AuthException;
import io.wshub.auth.AuthMode;
import io.wshub.auth.Authenticator;
import io.wshub.auth.Identity;
import io.wshub.http.HttpReply;
import io.wshub.protocol.Handshake;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * Turns an upgrade request into a connection (docs/protocol.md §2): checks the Origin (403), finds and
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
    /** Set by an authenticator failure, cleared by the next verified token: one WARN per outage. Any thread. */
    private volatile boolean authFailing;

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
        // From here the connection is either upgraded or answered and closed.
        EarlyFrames.install(ctx, hub.config.maxMessageBytes());
        if (!requestIsValid(ctx, req)) {
            return;
        }
        if (!hub.isAccepting()) {
            refuse(ctx, req, 503, "server is shutting down", "draining");
            return;
        }
        Admission.Refusal capped = hub.admission.admitIp(ctx.channel(), remoteIp(ctx.channel()));
        if (capped != null) {
            refuse(ctx, req, capped);
            return;
        }
        if (!originAllowed(req)) {
            refuse(ctx, req, 403, "origin not allowed", "origin");
            return;
        }
        AuthMode mode = hub.config.authMode();
        String token = mode == AuthMode.OFF ? null : token(req, uri);
        if (token == null) {
            if (mode == AuthMode.REQUIRED && hub.config.connectGate() == null) {
                refuse(ctx, req, 401, "missing token", "missing_token");
            } else {
                accept(ctx, req, null);
            }
            return;
        }
        Authenticator auth = hub.config.auth();
        if (auth == null && hub.config.connectGate() != null) {
            accept(ctx, req, null); // an opaque token only the gate can judge
        } else if (auth == null) {
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

    /** RFC 6455 §4.2.1 and RFC 9112: refuses (and returns false) the first rule {@code req} breaks. */
    private boolean requestIsValid(ChannelHandlerContext ctx, FullHttpRequest req) {
        HttpHeaders h = req.headers();
        if (!req.method().equals(HttpMethod.GET) || !h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            refuse(ctx, req, 400, "expected a WebSocket upgrade request", "bad_request");
        } else if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            refuse(ctx, req, 400, "WebSocket upgrades need HTTP/1.1", "http_version");
        } else if (!Handshake.isValidHost(h.getAll(HttpHeaderNames.HOST))) {
            refuse(ctx, req, 400, "exactly one valid Host header is required", "host");
        } else if (!h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            refuse(ctx, req, 400, "Connection header must include Upgrade", "bad_request");
        } else if (!Handshake.SUPPORTED_VERSION.equals(single(h, HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            refuse(ctx, req, Handshake.STATUS_UPGRADE_REQUIRED, "unsupported WebSocket version; use 13", "version",
                    HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), Handshake.SUPPORTED_VERSION);
        } else if (!Handshake.isValidKey(single(h, HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
            refuse(ctx, req, 400, "Sec-WebSocket-Key must be 16 bytes in base64", "key");
        } else {
            return true;
        }
        return false;
    }

    /** The header's value when it occurs exactly once, else null. */
    private static String single(HttpHeaders headers, CharSequence name) {
        List<String> values = headers.getAll(name);
        return values.size() == 1 ? values.get(0).strip() : null;
    }

    private void verifyOffLoop(ChannelHandlerContext ctx, FullHttpRequest req, Authenticator auth, String token) {
        Identity identity;
        try {
            identity = auth.verify(token);
        } catch (AuthException e) {
            ctx.executor().execute(() -> notVerified(ctx, req, e));
            return;
        } catch (RuntimeException e) {
            ctx.executor().execute(() -> authenticatorFailed(ctx, req, e));
            return;
        }
        authFailing = false;
        ctx.executor().execute(() -> accept(ctx, req, identity));
    }

    private void verified(ChannelHandlerContext ctx, FullHttpRequest req, Authenticator auth, String token) {
        Identity identity;
        try {
            identity = auth.verify(token);
        } catch (AuthException e) {
            notVerified(ctx, req, e);
            return;
        } catch (RuntimeException e) {
            authenticatorFailed(ctx, req, e);
            return;
        }
        authFailing = false;
        accept(ctx, req, identity);
    }

    /** Without a connect gate a bad token is refused; with one, the gate judges it as an opaque token. */
    private void notVerified(ChannelHandlerContext ctx, FullHttpRequest req, AuthException e) {
        if (hub.config.connectGate() != null) {
            accept(ctx, req, null);
        } else {
            refuse(ctx, req, 401, e.getMessage(), reason(e));
        }
    }

    /** An authenticator that throws is the server's fault, not the client's: 500, one WARN per episode. */
    private void authenticatorFailed(ChannelHandlerContext ctx, FullHttpRequest req, RuntimeException e) {
        if (!authFailing) {
            authFailing = true;
            RealHub.log.warn("authenticator failed: {} (further failures at DEBUG until a token is verified again)", e.toString());
        } else {
            RealHub.log.debug("authenticator failed again: {}", e.toString());
        }
        refuse(ctx, req, 500, "authentication failed", "auth_error");
    }

    /** Asks the connect gate, if any, then upgrades as the decision says. */
    private void accept(ChannelHandlerContext ctx, FullHttpRequest req, Identity identity) {
        ConnectGate gate = hub.config.connectGate();
        if (gate == null) {
            admit(ctx, req, identity, List.of(), null);
            return;
        }
        ConnectGate.Request request = GateRequests.of(req, remoteIp(ctx.channel()), identity);
        CompletionStage<ConnectGate.Decision> decision;
        try {
            decision = gate.check(request);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        decision.whenComplete((d, failure) -> {
            try {
                ctx.executor().execute(() -> decided(ctx, req, identity, d, failure));
            } catch (RejectedExecutionException e) {
                req.release(); // the hub stopped while the gate was deciding
            }
        });
    }

    private void decided(ChannelHandlerContext ctx, FullHttpRequest req, Identity identity,
                         ConnectGate.Decision d, Throwable failure) {
        if (failure != null || d == null) {
            RealHub.log.debug("connect gate failed: {}", String.valueOf(failure));
            refuse(ctx, req, 502, "connect check failed", "connect_gate");
        } else if (!d.allowed()) {
            refuse(ctx, req, d.status(), d.message() == null ? "connection refused" : d.message(), "connect_refused");
        } else {
            // The gate's user and expiry win; what it leaves out comes from the verified token.
            String user = d.userId() != null ? d.userId() : identity == null ? null : identity.userId();
            Instant expires = d.expiresAt() != null ? d.expiresAt() : identity == null ? null : identity.expiresAt();
            Identity as = user == null ? null : new Identity(user, expires, identity == null ? Map.of() : identity.claims());
            if (as == null && hub.config.authMode() == AuthMode.REQUIRED) {
                refuse(ctx, req, 401, "connect check named no user", "missing_token");
                return;
            }
            admit(ctx, req, as, d.tags(), d.meta());
        }
    }

    /** The user cap, then the upgrade. */
    private void admit(ChannelHandlerContext ctx, FullHttpRequest req, Identity identity, List<String> tags,
                       Map<String, Object> meta) {
        hub.admission.admitUser(ctx.channel(), identity == null ? null : identity.userId()).whenComplete((refusal, e) -> {
            if (ctx.executor().inEventLoop()) {
                admitted(ctx, req, identity, refusal, tags, meta);
            } else {
                ctx.executor().execute(() -> admitted(ctx, req, identity, refusal, tags, meta));
            }
        });
    }

    private void admitted(ChannelHandlerContext ctx, FullHttpRequest req, Identity identity, Admission.Refusal refusal,
                          List<String> tags, Map<String, Object> meta) {
        if (refusal != null) {
            refuse(ctx, req, refusal);
        } else {
            upgradeNow(ctx, req, identity, tags, meta);
        }
    }

    private void upgradeNow(ChannelHandlerContext ctx, FullHttpRequest req, Identity identity, List<String> tags,
                            Map<String, Object> meta) {
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
        if (handshaker == null) { // requestIsValid checked the version; kept for safety
            refuse(ctx, req, Handshake.STATUS_UPGRADE_REQUIRED, "unsupported WebSocket version; use 13", "version",
                    HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), Handshake.SUPPORTED_VERSION);
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
            RealHub.log.debug("upgrade from {} refused by the handshaker: {}", remoteIp(ch), e.getMessage());
            refuse(ctx, req, 400, "invalid WebSocket upgrade request", "bad_request");
            return;
        }
        RealConnection conn = new RealConnection(ch, hub, hub.ids.next(), identity == null ? null : identity.userId(),
                remoteIp(ch), req.headers().get(HttpHeaderNames.USER_AGENT));
        conn.inboxSince = HubStreams.since(new QueryStringDecoder(req.uri()));
        req.release();
        if (identity != null) {
            conn.claims = identity.claims();
        }
        if (meta != null && !meta.isEmpty()) {
            conn.attribute("meta", meta);
        }
        ChannelPipeline p = ctx.pipeline();
        // Netty's decoder, with a budget per read turn (fairness on a shared event loop); RSV1 only with deflate.
        p.replace(WebSocketFrameDecoder.class, "wsdecoder", new FrameBudgetDecoder(deflate == null ? decoderConfig : deflateDecoderConfig,
                conn.lane.reads));
        if (deflate != null) {
            p.addAfter("wsdecoder", "ws-inflate", deflate.newExtensionDecoder());
            conn.deflate(true);
        }
        WriteCoalescer coalescer = new WriteCoalescer();
        p.addBefore(p.context(WebSocketFrameEncoder.class).name(), "ws-coalesce", coalescer);
        p.addLast("ws-flush", new FlushConsolidationHandler(FLUSHES_BEFORE_FORCED_FLUSH, false));
        p.addLast("ws-utf8", new TextValidator()); // text and its continuations; 1007 via FrameHandler
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(hub.config.maxMessageBytes()));
        p.addLast("ws-frames", new FrameHandler(conn));
        p.remove(HubInitializer.READ_TIMEOUT); // the heartbeat watches upgraded connections
        p.remove(HeadDeadline.BYTES);
        p.remove(HeadDeadline.HEADS);
        p.remove(ctx.handler());
        conn.upgraded(coalescer);
        // Counted in at once, not when the 101 has left: a client that sees its socket open is
        // already in presence and reachable. Frames written now queue behind the 101.
        // Reads stay off (EarlyFrames) until the hub has told the client it is connected, so
        // every reply, the early frames' included, comes after the connected event.
        hub.connected(conn, identity, () -> EarlyFrames.release(p));
        tags.forEach(conn::join);
        handshake.addListener(f -> {
            if (!f.isSuccess()) {
                hub.metrics.handshakeFailed("handshake");
                ch.close();
            }
        });
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, Admission.Refusal r) {
        refuse(ctx, req, r.status(), r.message(), r.reason());
    }

    /** Answers with a JSON error and closes: the HTTP decoder left at the start of the upgrade. */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, int status, String message, String reason,
                        String... headers) {
        if (RealHub.log.isDebugEnabled()) { // the path only: a query may carry the token
            RealHub.log.debug("upgrade refused: status={} reason={} address={} path={} message=\"{}\"", status, reason,
                    remoteIp(ctx.channel()), new QueryStringDecoder(req.uri()).path(), message);
        }
        req.release();
        hub.metrics.handshakeFailed(reason);
        HttpEntryHandler.respond(ctx, HttpReply.error(status, message), false, false, headers);
    }

    private static String reason(AuthException e) {
        return e.getMessage().startsWith("token expired") ? "expired_token" : "invalid_token";
    }

    /** docs/protocol.md §2: the Authorization header, then query {@code authorization}, then query {@code token}. */
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
