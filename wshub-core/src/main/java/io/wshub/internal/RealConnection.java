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
import io.wshub.FrameType;
import io.wshub.WsException;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A connection after its upgrade. Sends may come from any thread; inbound work happens on the
 * channel's event loop ({@link Lane}).
 */
public final class RealConnection implements Connection, LoopFlusher.Member {
    /** How long a close frame may take to flush before the socket is closed anyway. */
    private static final long CLOSE_FLUSH_TIMEOUT_MS = 2000;
    private static final VarHandle RESERVED;

    static {
        try {
            RESERVED = MethodHandles.lookup().findVarHandle(RealConnection.class, "reserved", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Channel channel;
    final RealHub hub;
    final Lane lane;
    private final String id;
    private final String userId;
    private final String ip;
    private final String userAgent;
    private final long connectedAtMillis;
    private final long connectedAtNanos;
    private final int maxTags;
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
    /** The token's claims; set by the upgrader before the connection is counted in. */
    volatile Map<String, Object> claims = Map.of();
    /** Event loop only; set when the hub counts the connection in. */
    Heartbeat heartbeat;
    /** The frame encoder's context, where complete frames enter the pipeline; set before any write. */
    private volatile ChannelHandlerContext wire;
    /** Holds small frames until the flush ({@link WriteCoalescer}); its bytes count against the outbound limit. */
    private volatile WriteCoalescer coalescer;
    /** Set by the upgrade before the hub counts the connection in: the inbox position to recover from, or null. */
    io.wshub.cluster.StreamPosition inboxSince;
    /** Event loop only: set once the hub counted this connection in (and so must count it out). */
    boolean registered;
    /** Event loop only: set once the client was told it is connected (and connect listeners ran). */
    boolean announced;
    /** Event loop only: written by a fan-out and waiting for its loop's {@link LoopFlusher}. */
    private boolean flushPending;
    /** Bytes of pushes handed to this connection's loop in tasks it has not run yet ({@link Fanout}). */
    private volatile long reserved;

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
        this.maxTags = hub.config.limits().maxTagsPerConnection();
        this.lane = new Lane(this);
    }

    @Override public String id() { return id; }
    @Override public String userId() { return userId; }
    @Override public String ip() { return ip; }
    @Override public String userAgent() { return userAgent; }
    @Override public Map<String, Object> claims() { return claims; }
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
        String problem = Protocol.tagProblem(tag);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        synchronized (this) {
            if (removed) {
                return false;
            }
            if (tags == null) {
                tags = new HashSet<>(4);
            }
            if (tags.size() >= maxTags && !tags.contains(tag)) {
                throw new WsException(Protocol.TOO_LARGE, "tag limit of " + maxTags + " reached");
            }
            if (!tags.add(tag)) {
                return false;
            }
            hub.joined(this, tag);
        }
        hub.tagsChanged(this);
        hub.tagChanged(this, tag, true);
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
        hub.tagChanged(this, tag, false);
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

    /** A push: windowed and bounded like a broadcast to one ({@link Fanout}); replies go through {@link #write}. */
    @Override
    public boolean send(String event, Object data) {
        java.util.Objects.requireNonNull(event, "event");
        if (!channel.isActive()) {
            return false;
        }
        return hub.fanout(List.of(this), event, data) > 0;
    }

    @Override
    public boolean sendRaw(FrameType type, byte[] payload) {
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(payload, "payload");
        if (!channel.isActive()) {
            return false;
        }
        return write(WireFrame.of(channel.alloc(), type, payload), RawHandlers.EVENT);
    }

    @Override
    public boolean registerFlush() {
        if (flushPending) {
            return false;
        }
        flushPending = true;
        return true;
    }

    @Override
    public void flushRegistered() {
        flushPending = false;
        channel.flush();
    }

    /**
     * Called once the handshaker has set up the WebSocket codec, before anything is written.
     *
     * @param coalescer the pipeline's, right below the frame encoder
     */
    void upgraded(WriteCoalescer coalescer) {
        this.coalescer = coalescer;
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
        if (closeStatus != null) {
            frame.release();
            return false;
        }
        return queue(frame, flush);
    }

    /**
     * Queues, unflushed, a complete frame that other connections share ({@link Fanout}); the
     * caller keeps owning it. False, as for {@link #write(ByteBuf, boolean)}, when the connection
     * is closed or over its limit. Event loop only.
     *
     * @param accepted reserved before a close was recorded (a hand-off reserved with {@link #reserve}): it
     *     still goes out, ahead of the close frame, as a kick's message does
     */
    boolean writeShared(ByteBuf frame, boolean accepted) {
        if ((closeStatus != null && !accepted) || !hasRoom()) {
            return false;
        }
        coalescer.writeShared(frame); // broadcasts come compressed for deflating connections (Fanout)
        return true;
    }

    private boolean queue(ByteBuf frame, boolean flush) {
        if (!hasRoom()) {
            frame.release();
            return false;
        }
        if (deflate && !Compression.isCompressed(frame)) {
            frame = compressed(frame); // a reply or a send to this connection alone; broadcasts come compressed (Fanout)
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

    /**
     * Open, and the socket's queue below the outbound limit (the coalescer's few held bytes may
     * come on top); over it, the connection is closed with 4008.
     */
    private boolean hasRoom() {
        if (!channel.isActive()) {
            return false;
        }
        if (!channel.isWritable()) {
            overLimit();
            return false;
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

    /**
     * Reserves room for {@code size} bytes about to be handed to the event loop, any thread.
     * False, and the connection closed with 4008, when the bytes already queued on the channel,
     * those reserved in pending hand-offs and these would pass the outbound limit.
     */
    boolean reserve(int size) {
        long pending = (long) RESERVED.getAndAdd(this, (long) size) + size;
        // bytesBeforeUnwritable: room left below the high-water mark in the channel's own queue, 0 when unwritable.
        if (pending <= channel.bytesBeforeUnwritable() - coalescer.held()) {
            return true;
        }
        RESERVED.getAndAdd(this, (long) -size);
        overLimit();
        return false;
    }

    /** Gives back what {@link #reserve} took, on the event loop, before the bytes are written. */
    void unreserve(int size) {
        RESERVED.getAndAdd(this, (long) -size);
    }

    private void overLimit() {
        String reason = "slow consumer: outbound queue over " + hub.config.outboundQueueBytes() + " bytes";
        if (markClosed(Protocol.CLOSE_SLOW_CONSUMER, reason)) {
            hub.metrics.slowConsumer();
            sendClose(Protocol.CLOSE_SLOW_CONSUMER, reason);
        }
    }

    /** Runs {@code task} on this connection's event loop: now when called there, else queued. */
    void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            try {
                channel.eventLoop().execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the hub is shutting down; the connection goes with it
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T attribute(String key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    @Override
    public synchronized void attribute(String key, Object value) {
        java.util.Objects.requireNonNull(key, "key");
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
        String problem = Protocol.closeCodeProblem(code); // validate before any state changes
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (markClosed(code, reason)) {
            sendClose(code, reason);
        }
    }

    /** Sends the close frame of a close just recorded, and closes the socket once it left (or soon anyway). */
    private void sendClose(int code, String reason) {
        channel.writeAndFlush(new CloseWebSocketFrame(code, Protocol.closeReason(reason))).addListener(ChannelFutureListener.CLOSE);
        // A slow consumer's close frame waits behind its full queue: do not wait for it forever.
        channel.eventLoop().schedule(() -> { channel.close(); }, CLOSE_FLUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void kick(String reason) {
        if (hub.config.codec().carriesEvents()) {
            send(Protocol.KICK_EVENT, Map.of("reason", reason == null ? "" : reason));
        }
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

    /** Bytes waiting to be written on this connection, those in pending hand-offs included. */
    long queuedBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return reserved + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
    }

    @Override
    public String toString() {
        return "Connection[" + id + (userId == null ? "" : ", user " + userId) + ", " + ip + "]";
    }
}
