package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.wshub.ClientInfo;
import io.wshub.CloseStatus;
import io.wshub.Connection;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A connection after its upgrade. Sends may come from any thread; inbound work happens on the
 * channel's event loop ({@link Lane}).
 */
public final class RealConnection implements Connection {
    /** How long a close frame may take to flush before the socket is closed anyway. */
    private static final long CLOSE_FLUSH_TIMEOUT_MS = 2000;

    final Channel channel;
    final RealHub hub;
    final Lane lane;
    private final String id;
    private final String userId;
    private final String ip;
    private final String userAgent;
    private final long connectedAtMillis;
    private final long connectedAtNanos;
    /** Written by the event loop on every inbound frame; read by presence and the heartbeat. */
    volatile long lastSeenNanos;
    /** Written once on the event loop before the connection is published in the registry. */
    private volatile boolean deflate;
        /** The first close cause wins; written under {@code this}. */
    private volatile CloseStatus closeStatus;
    /** Guarded by {@code this}; null until the first join, as most connections never join. */
    private Set<String> tags;
    /** Guarded by {@code this}; null until first set. */
    private Map<String, Object> attributes;
    /** Guarded by {@code this}: set once the connection left the registry. */
    private boolean removed;
    /** Event loop only; set when the hub counts the connection in. */
    Heartbeat heartbeat;
    /** The frame encoder's context, where complete frames enter the pipeline; set before any write. */
    private volatile ChannelHandlerContext wire;
    /** Event loop only: set once the hub counted this connection in (and so must count it out). */
    boolean registered;
    /** Event loop only: written by a fan-out and waiting for its loop's {@link LoopFlusher}. */
    boolean flushPending;

    RealConnection(Channel channel, RealHub hub, String id, String userId, String ip, String userAgent) {
        this.channel = channel;
        this.hub = hub;
        this.id = id;
        this.userId = userId;
        this.ip = ip;
        this.userAgent = userAgent;
        this.connectedAtMillis = System.currentTimeMillis();
        this.connectedAtNanos = System.nanoTime();
        this.lastSeenNanos = connectedAtNanos;
        this.lane = new Lane(this);
    }

    @Override public String id() { return id; }
    @Override public String userId() { return userId; }
    @Override public String ip() { return ip; }
    @Override public String userAgent() { return userAgent; }
    @Override public Instant connectedAt() { return Instant.ofEpochMilli(connectedAtMillis); }

    @Override
    public Instant lastSeenAt() {
        return Instant.ofEpochMilli(connectedAtMillis + TimeUnit.NANOSECONDS.toMillis(lastSeenNanos - connectedAtNanos));
    }

    @Override
    public synchronized Set<String> tags() {
        return tags == null ? Set.of() : Set.copyOf(tags);
    }

    @Override
    public boolean join(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("tag must not be empty");
        }
        synchronized (this) {
            if (removed) {
                return false;
            }
            if (tags == null) {
                tags = new HashSet<>(4);
            }
            if (!tags.add(tag)) {
                return false;
            }
            hub.joined(this, tag);
        }
        hub.tagsChanged(this);
        return true;
    }

    @Override
    public boolean quit(String tag) {
        synchronized (this) {
            if (removed || tags == null || !tags.remove(tag)) {
                return false;
            }
            hub.quitted(this, tag);
        }
        hub.tagsChanged(this);
        return true;
    }

    /** Leaves every tag and the registry; called once, when the channel closed. */
    synchronized void remove() {
        removed = true;
        if (tags != null) {
            for (String tag : tags) {
                hub.quitted(this, tag);
            }
        }
    }

    @Override
    public boolean send(String event, Object data) {
        if (!channel.isActive()) {
            return false;
        }
        return write(hub.encode(channel.alloc(), Outbound.push(event, data)), event);
    }

    /** Called once the handshaker has set up the WebSocket codec, before anything is written. */
    void upgraded() {
        wire = channel.pipeline().context(WebSocketFrameEncoder.class);
    }

    /** {@link #write(ByteBuf)}, counting the message as sent. */
    boolean write(ByteBuf frame, String event) {
        int bytes = frame.readableBytes();
        if (!write(frame)) {
            return false;
        }
        hub.metrics.sent(event, bytes, 1);
        return true;
    }

    /** Queues and flushes an encoded frame; see {@link #write(ByteBuf, boolean)}. */
    boolean write(ByteBuf frame) {
        return write(frame, true);
    }

    /**
     * Queues a complete frame ({@link WireFrame}), taking ownership of {@code frame}. False when the connection is
     * closed or its queue is over the limit, in which case it is closed with 4008. Without
     * {@code flush} the caller flushes later (see {@link LoopFlusher}).
     */
    boolean write(ByteBuf frame, boolean flush) {
        if (!channel.isActive() || closeStatus != null) {
            frame.release();
            return false;
        }
        if (deflate && !Compression.isCompressed(frame)) {
            frame = compressed(frame); // a reply or a send to this connection alone; broadcasts come compressed (Fanout)
        }
        if (!channel.isWritable()) {
            frame.release();
            hub.metrics.slowConsumer();
            close(Protocol.CLOSE_SLOW_CONSUMER, "slow consumer: outbound queue over " + hub.config.outboundQueueBytes() + " bytes");
            return false;
        }
        // The frame is complete (WireFrame): write it below the frame encoder.
        if (flush && !channel.eventLoop().inEventLoop()) {
            wire.writeAndFlush(frame, channel.voidPromise()); // one hand-off to the loop, not two
        } else {
            wire.write(frame, channel.voidPromise());
            if (flush) {
                channel.flush(); // through the whole pipeline: replies made while reading are coalesced
            }
        }
        return true;
    }

    /** {@code frame} compressed when it is worth it (the plain one is then released), else {@code frame}. */
    private ByteBuf compressed(ByteBuf frame) {
        ByteBuf deflated = hub.compression.deflate(channel.alloc(), frame);
        if (deflated == null) {
            return frame;
        }
        frame.release();
        return deflated;
    }

    /** Set once at the upgrade, before the connection is registered: permessage-deflate was negotiated. */
    void deflate(boolean on) {
        deflate = on;
    }

    boolean deflates() {
        return deflate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T attribute(String key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    @Override
    public synchronized void attribute(String key, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && closeStatus == null;
    }

    @Override
    public void close(int code, String reason) {
        if (!markClosed(code, reason)) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, Protocol.closeReason(reason))).addListener(ChannelFutureListener.CLOSE);
        // A slow consumer's close frame waits behind its full queue: do not wait for it forever.
        channel.eventLoop().schedule(() -> { channel.close(); }, CLOSE_FLUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void kick(String reason) {
        send(Protocol.KICK_EVENT, Map.of("reason", reason == null ? "" : reason));
        close(Protocol.CLOSE_KICKED, reason == null ? "kicked" : reason);
    }

    /** Records why the connection ends; false if a cause was recorded before. */
    synchronized boolean markClosed(int code, String reason) {
        if (closeStatus != null) {
            return false;
        }
        closeStatus = new CloseStatus(code, reason == null ? "" : reason);
        return true;
    }

    /** The recorded close cause, or 1006 when the socket went away without one. */
    CloseStatus closeStatus() {
        CloseStatus s = closeStatus;
        return s != null ? s : new CloseStatus(CloseStatus.ABNORMAL, "connection lost");
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    ClientInfo info() {
        return new ClientInfo(id, userId, ip, userAgent, tags(), connectedAt(), lastSeenAt(), hub.nodeId());
    }

    /** Bytes waiting to be written on this connection. */
    long queuedBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public String toString() {
        return "Connection[" + id + (userId == null ? "" : ", user " + userId) + ", " + ip + "]";
    }
}
