package io.wshub.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.WsException;
import io.wshub.WsHub;
import io.wshub.protocol.Inbound;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;
import io.wshub.protocol.RawJson;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionStage;

/** The context of one inbound message. */
final class RealContext implements Context {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final RealConnection conn;
    private final Inbound msg;
    /** Parsed on first use by the thread running the handler. */
    private JsonNode tree;
    /** Set by the first reply; read by the lane after the handler returned, and by later replies. */
    private final AtomicBoolean replied = new AtomicBoolean();
    /** Set by {@link #async} on the handler's thread, read by the {@link Lane} after the handler returned. */
    private CompletionStage<?> pending;

    RealContext(RealConnection conn, Inbound msg) {
        this.conn = conn;
        this.msg = msg;
    }

    @Override public String event() { return msg.event(); }
    @Override public String seqno() { return msg.seqno(); }
    @Override public RawJson rawData() { return msg.data(); }
    @Override public Connection connection() { return conn; }
    @Override public String userId() { return conn.userId(); }
    @Override public WsHub hub() { return conn.hub; }
    @Override public boolean replied() { return replied.get(); }

    @Override
    public JsonNode data() {
        if (tree == null) {
            tree = msg.data().isNull() ? NullNode.getInstance() : parse(JsonNode.class);
        }
        return tree;
    }

    @Override
    public <T> T bind(Class<T> type) {
        return parse(type);
    }

    private <T> T parse(Class<T> type) {
        try {
            return MAPPER.readValue(msg.data().bytes(), type);
        } catch (JsonProcessingException e) {
            throw new WsException(Protocol.BAD_REQUEST, "invalid data: " + e.getOriginalMessage());
        } catch (IOException e) { // not reachable for an in-memory array; kept for the signature
            throw new WsException(Protocol.BAD_REQUEST, "invalid data");
        }
    }

    @Override
    public void reply(Object data) {
        send(Outbound.answer(msg, Protocol.OK, null, data));
    }

    @Override
    public void error(int code, String message) {
        send(Outbound.answer(msg, code, message, null));
    }

    @Override
    public void async(CompletionStage<?> work) {
        if (pending != null) {
            throw new IllegalStateException("async was already called");
        }
        pending = java.util.Objects.requireNonNull(work);
    }

    /** The work an async handler left running, or null. */
    CompletionStage<?> pending() {
        return pending;
    }

    @Override
    public String requireUser() {
        if (conn.userId() == null) {
            throw new WsException(Protocol.UNAUTHORIZED, "this event needs an authenticated user");
        }
        return conn.userId();
    }

    private void send(Outbound out) {
        if (!replied.compareAndSet(false, true) && conn.hub.config.codec().oneReplyPerRequest()) {
            return; // wsrv: the request was answered already (its default reply, when the handler returned without one)
        }
        answer0(out);
    }

    /** The reply the codec gives a request no handler answered (see {@code Codec#unanswered}). */
    void answer(Outbound out) {
        if (replied.compareAndSet(false, true)) {
            answer0(out);
        }
    }

    /** Replies go out in the request's frame type. */
    private void answer0(Outbound out) {
        conn.write(conn.hub.encode(conn.channel.alloc(), out, msg.frame()), out.event());
    }
}
