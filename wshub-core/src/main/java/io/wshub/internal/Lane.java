package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.wshub.FrameType;
import io.wshub.WsException;
import io.wshub.protocol.Codec;
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
    /** Pauses of the socket's reads: the backlog's here, the frame decoder's budget ({@link FrameBudgetDecoder}). */
    final ReadGate reads;
    private ArrayDeque<Inbound> backlog;
    private boolean busy;
    private double tokens;
    private long refilledAt;
    private int strikes;

    Lane(RealConnection conn) {
        this.conn = conn;
        this.hub = conn.hub;
        this.reads = new ReadGate(conn.channel);
        this.tokens = hub.config.rateLimitBurst();
        this.refilledAt = System.nanoTime();
    }

    /**
     * One complete data message of {@code type}. With an enveloped codec an empty one is a
     * heartbeat and gets no answer; the raw codec hands every frame to the raw handlers.
     */
    void onMessage(ByteBuf content, FrameType type) {
        Codec codec = hub.config.codec();
        int bytes = content.readableBytes();
        if (!codec.carriesEvents()) {
            hub.metrics.received(HubMetrics.OTHER, bytes);
            if (withinRate(null)) {
                hub.raw.deliver(conn, type, content);
            }
            return;
        }
        if (bytes == 0) {
            return;
        }
        Inbound msg;
        try {
            msg = codec.decode(content).in(type);
        } catch (DecodeException e) {
            hub.metrics.received(HubMetrics.OTHER, bytes);
            String event = e.event() != null ? e.event() : Protocol.ERROR_EVENT;
            hub.metrics.decodeFailed(e.getMessage());
            reply(new Outbound(event, Protocol.BAD_REQUEST, e.getMessage(), null, e.seqno(), null, e.seqnoIsNumber()), type);
            return;
        }
        hub.metrics.received(msg.event(), bytes);
        if (!withinRate(msg)) {
            return;
        }
        if (busy) {
            if (backlog == null) {
                backlog = new ArrayDeque<>();
            }
            backlog.add(msg);
            if (backlog.size() >= MAX_BACKLOG) {
                reads.hold(ReadGate.BACKLOG);
            }
            return;
        }
        run(msg);
    }

    private void run(Inbound msg) {
        Route route = hub.router.route(msg.event());
        if (route == null || !route.blocking()) {
            RealContext ctx = handle(msg, route);
            if (ctx.pending() != null) {
                busy = true;
                resumeWhenDone(ctx);
            }
            return;
        }
        busy = true;
        try {
            hub.workers.execute(() -> {
                RealContext ctx = null;
                try {
                    ctx = handle(msg, route);
                } finally {
                    if (ctx != null && ctx.pending() != null) {
                        resumeWhenDone(ctx);
                    } else {
                        resumeOnLoop();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            busy = false;
            reply(Outbound.answer(msg, Protocol.RATE_LIMITED, "server busy", null), msg.frame());
        }
    }

    /** An async handler's work: later messages wait for it (see {@link io.wshub.Context#async}). */
    private void resumeWhenDone(RealContext ctx) {
        ctx.pending().whenComplete((result, failure) -> {
            if (!ctx.replied()) {
                if (failure != null) {
                    hub.handlerFailed(conn, ctx.event(), failure);
                }
                ctx.error(Protocol.INTERNAL_ERROR, "internal error");
            }
            resumeOnLoop();
        });
    }

    private void resumeOnLoop() {
        try {
            conn.channel.eventLoop().execute(this::resume);
        } catch (RejectedExecutionException e) {
            // The hub is shutting down; nothing is left to resume.
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
        if (!busy) {
            reads.release(ReadGate.BACKLOG);
        }
    }

    private RealContext handle(Inbound msg, Route route) {
        RealContext ctx = new RealContext(conn, msg);
        long start = System.nanoTime();
        try {
            boolean passed = hub.router.dispatch(ctx, route);
            if (!ctx.replied() && ctx.pending() == null) {
                Outbound fallback = hub.config.codec().unanswered(msg, route != null, passed);
                if (fallback != null) {
                    ctx.answer(fallback);
                }
            }
        } catch (WsException e) {
            ctx.error(e.code(), e.getMessage());
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // A bug in one handler answers 500; the connection and the hub go on.
            ctx.error(Protocol.INTERNAL_ERROR, "internal error");
            hub.handlerFailed(conn, msg.event(), e);
        } finally {
            hub.metrics.handlerTime(msg.event(), System.nanoTime() - start);
        }
        return ctx;
    }

    /**
     * Takes a token; without one the message gets 429 (raw frames, {@code msg} null, are
     * dropped: they have nothing to answer to) and a connection over the rate for a whole
     * second's worth of messages is closed with 4029.
     */
    private boolean withinRate(Inbound msg) {
        if (takeToken()) {
            strikes = 0;
            return true;
        }
        if (msg != null) {
            reply(Outbound.answer(msg, Protocol.RATE_LIMITED, "rate limited", null), msg.frame());
        }
        if (++strikes >= hub.config.rateLimitPerSecond()) {
            conn.close(Protocol.CLOSE_RATE_LIMITED, "rate limited repeatedly");
        }
        return false;
    }

    private boolean takeToken() {
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

    private void reply(Outbound message, FrameType type) {
        conn.write(hub.encode(conn.channel.alloc(), message, type), message.event());
    }
}
