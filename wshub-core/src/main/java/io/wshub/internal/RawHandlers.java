package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.wshub.FrameType;
import io.wshub.RawHandler;
import io.wshub.RawMessage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The raw codec's inbound side: each frame, copied once, goes to every {@link RawHandler} in order. */
final class RawHandlers {
    /** Event name raw frames are counted and logged under. */
    static final String EVENT = "raw";

    private final RealHub hub;
    private final List<RawHandler> handlers = new CopyOnWriteArrayList<>();

    RawHandlers(RealHub hub) {
        this.hub = hub;
    }

    void add(RawHandler handler) {
        handlers.add(handler);
    }

    /** Called on the connection's event loop; does not release {@code content}. */
    void deliver(RealConnection conn, FrameType type, ByteBuf content) {
        if (handlers.isEmpty()) {
            return;
        }
        RawMessage message = new RawMessage(conn, type, ByteBufUtil.getBytes(content));
        for (RawHandler h : handlers) {
            try {
                h.onRaw(message);
            } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                hub.handlerFailed(conn, EVENT, e);
            }
        }
    }
}
