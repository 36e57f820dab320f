package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.wshub.WsException;
import io.wshub.protocol.DecodeException;
import io.wshub.protocol.Inbound;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;
import io.wshub.routing.Router.Route;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * The inbound side of one connection: decode, rate limit, and run messages through the
 * router one at a time, in order. Non-blocking handlers run inline on the event loop; a
 * blocking one runs on the worker pool while later messages wait in a backlog, and reads
 * pause when that backlog is full, so a slow handler pushes back on its own client only.
 *
 * <p>Every field is touched only by the connection's event loop.
 */
final class Lane {
    /** Messages that may wait behind a blocking handler before the socket stops being read. */
    private static final int MAX_BACKLOG = 64;

    private final RealConnection conn;
    private final RealHub hub;
    private ArrayDeque<Inbound> backlog;
    private boolean busy;
    private double tokens;
    private long refilledAt;
    private int strikes;

    Lane(RealConnection conn) {
        this.conn = conn;
        this.hub = conn.hub;
        this.tokens = hub.config.rateLimitBurst();
        this.refilledAt = System.nanoTime();
    }

    /** One complete text message (an empty one is a heartbeat and gets no answer). */
    void onText(ByteBuf content) {
        int bytes = content.readableBytes();
        if (bytes == 0) {
            return;
        }
        Inbound msg;
        try {
            msg = hub.config.codec().decode(content);
        } catch (DecodeException e) {
            hub.metrics.received(HubMetrics.OTHER, bytes);
            String event = e.event() != null ? e.event() : Protocol.ERROR_EVENT;
            hub.metrics.decodeFailed(e.getMessage());
            reply(new Outbound(event, Protocol.BAD_REQUEST, e.getMessage(), null, e.seqno(), e.seqnoIsNumber()));
            return;
        }
        hub.metrics.received(msg.event(), bytes);
        if (!withinRate()) {
            reply(Outbound.answer(msg, Protocol.RATE_LIMITED, "rate limited", null));
            if (++strikes >= hub.config.rateLimitPerSecond()) {
                conn.close(Protocol.CLOSE_RATE_LIMITED, "rate limited repeatedly");
            }
            return;
        }
        strikes = 0;
        if (busy) {
            if (backlog == null) {
                backlog = new ArrayDeque<>();
            }
            backlog.add(msg);
            if (backlog.size() >= MAX_BACKLOG) {
                conn.channel.config().setAutoRead(false);
            }
            return;
        }
        run(msg);
    }

    private void run(Inbound msg) {
        Route route = hub.router.route(msg.event());
        if (route == null || !route.blocking()) {
            handle(msg, route);
            return;
        }
        busy = true;
        try {
            hub.workers.execute(() -> {
                try {
                    handle(msg, route);
                } finally {
                    try {
                        conn.channel.eventLoop().execute(this::resume);
                    } catch (RejectedExecutionException e) {
                        // The hub is shutting down; nothing is left to resume.
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            busy = false;
            reply(Outbound.answer(msg, Protocol.RATE_LIMITED, "server busy", null));
        }
    }

    /**
     * Runs {@code then} once {@code ready} completes, and until then keeps later messages of
     * this connection waiting (in order), as a blocking handler does. Called by a handler
     * running on the event loop.
     */
    void hold(java.util.concurrent.CompletionStage<?> ready, Runnable then) {
        if (ready.toCompletableFuture().isDone()) {
            then.run();
            return;
        }
        busy = true;
        ready.whenComplete((v, e) -> conn.onLoop(() -> {
            try {
                then.run();
            } finally {
                resume();
            }
        }));
    }

    private void resume() {
        busy = false;
        while (!busy && backlog != null && !backlog.isEmpty()) {
            run(backlog.poll());
        }
        if (!busy && !conn.channel.config().isAutoRead()) {
            conn.channel.config().setAutoRead(true);
        }
    }

    private void handle(Inbound msg, Route route) {
        RealContext ctx = new RealContext(conn, msg);
        long start = System.nanoTime();
        try {
            hub.router.dispatch(ctx, route);
        } catch (WsException e) {
            ctx.error(e.code(), e.getMessage());
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // A bug in one handler answers 500; the connection and the hub go on.
            ctx.error(Protocol.INTERNAL_ERROR, "internal error");
            hub.handlerFailed(conn, msg.event(), e);
        } finally {
            hub.metrics.handlerTime(msg.event(), System.nanoTime() - start);
        }
    }

    private boolean withinRate() {
        int perSecond = hub.config.rateLimitPerSecond();
        if (perSecond <= 0) {
            return true;
        }
        long now = System.nanoTime();
        tokens = Math.min(hub.config.rateLimitBurst(), tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void reply(Outbound message) {
        conn.write(hub.encode(conn.channel.alloc(), message), message.event());
    }
}
