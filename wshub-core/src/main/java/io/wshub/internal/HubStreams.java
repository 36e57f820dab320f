package io.wshub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.HistoryRule;
import io.wshub.SendResult;
import io.wshub.Target;
import io.wshub.WsException;
import io.wshub.cluster.Envelope;
import io.wshub.cluster.History;
import io.wshub.cluster.MemoryHistory;
import io.wshub.cluster.Publication;
import io.wshub.cluster.Retention;
import io.wshub.cluster.StreamPosition;
import io.wshub.cluster.StreamSlice;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;
import io.wshub.protocol.StreamMark;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The hub's side of history and recovery (docs/history.md): which targets have a stream, sends
 * to them through the {@link History} engine, positioned deliveries, and the recoveries of
 * {@code join} with {@code since} and of a user's inbox at connect.
 *
 * <p>Recovery: the connection's gate opens (live pushes of the stream are held), the
 * connection subscribes, the engine confirms live delivery ({@link History#ready}), history is
 * read, and then, on the connection's event loop, the reply with the position and
 * {@code recovered} goes out, then the missed publications, then the held pushes after them.
 */
final class HubStreams {
    /** An epoch no stream has: what a malformed position from a client compares as. */
    private static final String NO_EPOCH = "-";
    /** How long a recovery waits for a full outbound queue to drain before writing on. */
    private static final long DRAIN_PAUSE_MICROS = 500;

    private final RealHub hub;
    private final List<Rule> rules;
    private final History engine;
    private final StreamGates gates = new StreamGates();
    private final Counter failures;

    private record Rule(Pattern tags, boolean users, Retention retention) {}

    /**
     * @param clustered whether the hub has a broker: then the default memory engine would keep
     *                  each node's streams apart, so an engine is required
     */
    HubStreams(RealHub hub, List<HistoryRule> rules, History engine, boolean clustered, MeterRegistry meters) {
        if (!rules.isEmpty() && engine == null && clustered) {
            throw new IllegalStateException("history rules in a cluster need a history engine (historyEngine): "
                    + "RedisCluster (one Redis) and MemoryCluster have one; sharded Redis and NATS do not yet");
        }
        this.hub = hub;
        this.rules = rules.stream().map(r -> new Rule(r.tags() == null ? null : glob(r.tags()), r.users(), r.retention())).toList();
        this.engine = rules.isEmpty() ? null : engine != null ? engine : new MemoryHistory();
        this.failures = Counter.builder("wshub_history_failures_total")
                .description("Sends and recoveries on history targets that the history store failed")
                .register(meters);
    }

    void start(String nodeId) {
        if (engine != null) {
            engine.start(nodeId, hub::deliverPositioned);
        }
    }

    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** The retention of {@code target}'s stream; null when it has none. */
    Retention retention(Target target) {
        for (Rule r : rules) {
            boolean match = switch (target.kind()) {
                case USER -> r.users;
                case TAG -> r.tags != null && r.tags.matcher(target.id()).matches();
                default -> false;
            };
            if (match) {
                return r.retention;
            }
        }
        return null;
    }

    // ---- sending -----------------------------------------------------------------------------

    /**
     * Appends and delivers through the engine. When the store fails, this node's connections
     * still get the message live (without a position), the failure is counted and the stage
     * fails with 503.
     */
    CompletionStage<SendResult> publish(Target target, Retention retention, String event, Object data) {
        Envelope e = new Envelope(Envelope.Op.SEND, target, event, RawJsons.of(data), hub.nodeId());
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        engine.publish(e, retention).whenComplete((position, error) -> {
            if (error == null) {
                result.complete(new SendResult(hub.local(target).size(), History.streamName(target), position));
            } else {
                failures.increment();
                int here = hub.fanout(hub.local(target), event, e.data());
                result.completeExceptionally(new WsException(503, "history store unavailable ("
                        + rootMessage(error) + "): delivered live to " + here + " connection(s) of this node only"));
            }
        });
        return result;
    }

    /** A positioned envelope from the engine (every node's, this one's included). */
    void deliver(Envelope e) {
        Collection<Connection> targets = hub.local(e.target());
        if (targets.isEmpty()) {
            return;
        }
        String stream = History.streamName(e.target());
        StreamPosition at = e.position();
        ByteBuf frame = hub.encode(PooledByteBufAllocator.DEFAULT,
                Outbound.push(e.event(), e.data()).with(StreamMark.of(stream, at.offset(), at.epoch())));
        try {
            hub.fanoutFrame(gates.admit(targets, stream, at.offset(), frame), frame, e.event());
        } finally {
            frame.release();
        }
    }

    CompletionStage<StreamSlice> read(Target target, long since, int limit) {
        Retention retention = retention(target);
        if (retention == null) {
            return CompletableFuture.failedFuture(new WsException(404, "no history for " + target.kind().name().toLowerCase() + " " + target.id()));
        }
        return engine.read(target, since, Math.min(limit, retention.size()), retention);
    }

    CompletionStage<Void> remove(Target target) {
        if (retention(target) == null) {
            return CompletableFuture.failedFuture(new WsException(404, "no history for " + target.kind().name().toLowerCase() + " " + target.id()));
        }
        return engine.remove(target);
    }

    // ---- recovery ----------------------------------------------------------------------------

    /**
     * The built-in {@code join} for a tag with history: joins, and replies with the tag list
     * plus the stream position once recovery is done. False when {@code tag} has no history
     * (the caller joins as usual).
     */
    boolean join(Context ctx, String tag) {
        Target target = Target.tag(tag);
        Retention retention = retention(target);
        if (retention == null) {
            return false;
        }
        StreamPosition since = since(ctx.data().path("since"));
        RealConnection conn = (RealConnection) ctx.connection();
        Recovery recovery = new Recovery(conn, target, retention, since);
        conn.join(tag);
        recovery.run(mark -> conn.write(hub.encode(conn.channel.alloc(),
                new Outbound(ctx.event(), Protocol.OK, null, new TreeSet<>(conn.tags()), ctx.seqno(), mark)), ctx.event()));
        return true;
    }

    /** Opens the recovery of {@code conn}'s inbox, before it is registered; null without inbox history. */
    Recovery openInbox(RealConnection conn) {
        if (conn.userId() == null) {
            return null;
        }
        Target target = Target.user(conn.userId());
        Retention retention = retention(target);
        return retention == null ? null : new Recovery(conn, target, retention, conn.inboxSince);
    }

    /** Sends the {@code connected} event ({@code data} null: none), after the inbox recovery if any. */
    void announce(RealConnection conn, Recovery inbox, Object data) {
        Consumer<StreamMark> send = mark -> {
            if (data != null) {
                conn.write(hub.encode(conn.channel.alloc(), Outbound.push(Protocol.CONNECTED_EVENT, data).with(mark)),
                        Protocol.CONNECTED_EVENT);
            }
        };
        if (inbox == null) {
            send.accept(null);
        } else {
            inbox.run(send);
        }
    }

    void closed(RealConnection conn) {
        gates.closed(conn);
    }

    /** The inbox position of a WebSocket URL: {@code ?since=<offset>&epoch=<epoch>} (docs/history.md). */
    static StreamPosition since(QueryStringDecoder uri) {
        List<String> offset = uri.parameters().get("since");
        List<String> epoch = uri.parameters().get("epoch");
        if (offset == null || offset.isEmpty()) {
            return null;
        }
        try {
            String e = epoch == null || epoch.isEmpty() || epoch.get(0).isEmpty() ? NO_EPOCH : epoch.get(0);
            return new StreamPosition(Long.parseLong(offset.get(0).strip()), e);
        } catch (IllegalArgumentException e) {
            return new StreamPosition(0, NO_EPOCH); // recovers nothing, answers recovered: false
        }
    }

    /** {@code "since": {"offset": 41, "epoch": "xyz"}} of a join; absent or null: none. */
    private static StreamPosition since(JsonNode since) {
        if (since.isMissingNode() || since.isNull()) {
            return null;
        }
        JsonNode offset = since.path("offset");
        JsonNode epoch = since.path("epoch");
        if (!since.isObject() || !offset.canConvertToLong() || !offset.isIntegralNumber() || offset.asLong() < 0
                || !epoch.isTextual() || epoch.textValue().isEmpty()) {
            throw new WsException(Protocol.BAD_REQUEST, "join needs \"since\": {\"offset\": <0 or more>, \"epoch\": \"<epoch>\"}");
        }
        return new StreamPosition(offset.asLong(), epoch.textValue());
    }

    /** One recovery of one stream on one connection; see the class comment for the steps. */
    final class Recovery {
        private final RealConnection conn;
        private final Target target;
        private final Retention retention;
        private final StreamPosition since;
        private final String stream;
        private final StreamGates.Gate gate;

        /** Opens the gate: construct before the connection subscribes. */
        Recovery(RealConnection conn, Target target, Retention retention, StreamPosition since) {
            this.conn = conn;
            this.target = target;
            this.retention = retention;
            this.since = since;
            this.stream = History.streamName(target);
            this.gate = gates.open(conn, stream);
        }

        /** After subscribing: reads, then on the event loop calls {@code reply} and writes what was missed. */
        void run(Consumer<StreamMark> reply) {
            long after = since == null ? 0 : since.offset();
            int limit = since == null ? 0 : retention.size();
            engine.ready(target)
                    .thenCompose(v -> engine.read(target, after, limit, retention))
                    .whenComplete((slice, error) -> conn.channel.eventLoop().execute(() -> finish(slice, error, reply)));
        }

        private void finish(StreamSlice slice, Throwable error, Consumer<StreamMark> reply) {
            if (error != null) {
                failures.increment();
                RealHub.log.debug("history read of {} for {} failed: {}", stream, conn, rootMessage(error));
                reply.accept(null);
                drain(new ArrayDeque<>(), 0, null);
                return;
            }
            StreamPosition top = slice.position();
            boolean current = gates.isCurrent(conn, gate);
            Boolean recovered = since == null ? null : current && slice.continues(since);
            reply.accept(new StreamMark(stream, top.offset(), top.epoch(), recovered));
            boolean replay = current && since != null && since.epoch().equals(top.epoch());
            drain(new ArrayDeque<>(replay ? slice.publications() : List.of()), top.offset(), top.epoch());
        }

        /**
         * Writes the missed publications as fast as the client reads them (a long gap must not
         * overflow the outbound queue and end in 4008), then the held live pushes; the gate
         * holds new ones until then, so the order stays.
         */
        private void drain(Deque<Publication> missed, long top, String epoch) {
            while (!missed.isEmpty()) {
                if (!conn.isOpen()) {
                    gates.closed(conn);
                    return;
                }
                if (!conn.channel.isWritable()) {
                    conn.channel.flush();
                    conn.channel.eventLoop().schedule(() -> drain(missed, top, epoch), DRAIN_PAUSE_MICROS, TimeUnit.MICROSECONDS);
                    return;
                }
                Publication p = missed.poll();
                writeLater(hub.encode(conn.channel.alloc(), Outbound.push(p.event(), p.data())
                        .with(StreamMark.of(stream, p.offset(), epoch))), p.event());
            }
            List<ByteBuf> held = gates.settle(conn, gate, top);
            if (held != null) {
                held.forEach(frame -> writeLater(frame, null));
            }
            conn.channel.flush();
            if (!conn.isOpen()) {
                gates.closed(conn); // closed while recovering: its gates would outlive it
            }
        }

        private void writeLater(ByteBuf frame, String event) {
            int bytes = frame.readableBytes();
            if (conn.write(frame, false) && event != null) {
                hub.metrics.sent(event, bytes, 1);
            }
        }
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
