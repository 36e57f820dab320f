package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One bench connection. Every instance of a worker lives on that worker's single event loop,
 * so none of the fields below need guarding: they are touched only by that thread. Netty's
 * WebSocket client does the handshake and encodes what is sent; what is received goes through
 * a {@link FrameReader} from the handshake on.
 */
final class Client extends ChannelInboundHandlerAdapter {
    /** What the owning worker learns from a connection. Called on the event loop. */
    interface Listener {
        void onReady(Client client);

        void onFailed(Client client, String reason);

        void onDropped(Client client);

        void onReply(Client client, long seqno, boolean ok, ByteBuf text);

        void onDelivery(Client client, long sentMicros);

        void onError(Client client, Throwable cause);
    }

    final int index;
    final String userId;
    private final Proto proto;
    private final Listener listener;
    Channel channel;
    /** The token the connection presented (set by the dialer). */
    String token;
    boolean ready;
    boolean closing;
    private boolean failed;
    private boolean unflushed;
    private final FrameWriter frames;

    /** Echo state: the seqno and send time of the one request in flight per slot. */
    long[] slotSeqno;
    long[] slotSentNanos;

    Client(int index, String userId, Proto proto, Listener listener) {
        this.index = index;
        this.userId = userId;
        this.proto = proto;
        this.listener = listener;
        this.frames = new FrameWriter(index);
    }

    Proto proto() {
        return proto;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            installFrameReader(ctx);
            if (proto.readyOnHandshake()) {
                onReady();
            } else {
                proto.onHandshake(this);
            }
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail("handshake timeout");
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Puts a {@link FrameReader} where the handshake has just put Netty's frame decoder. This runs
     * inside the handshake's read, before the HTTP codec passes on any bytes that came after the
     * 101 response (a first push), so every frame reaches the reader.
     */
    private void installFrameReader(ChannelHandlerContext ctx) {
        ctx.pipeline().replace(WebSocketFrameDecoder.class, "bench-frame-reader", new FrameReader(this));
    }

    /** One received text message (the readable bytes of {@code text}, valid during the call only). */
    void onText(ByteBuf text) {
        proto.onText(this, text);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!ready) {
            fail("closed before ready");
        } else if (!closing) {
            listener.onDropped(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ready) {
            listener.onError(this, cause);
        } else {
            fail(String.valueOf(cause));
        }
        ctx.close();
    }

    void onReady() {
        if (!ready && !failed) {
            ready = true;
            listener.onReady(this);
        }
    }

    void fail(String reason) {
        if (!failed && !ready) {
            failed = true;
            listener.onFailed(this, reason);
            if (channel != null) {
                channel.close();
            }
        }
    }

    void onReply(long seqno, boolean ok, ByteBuf text) {
        listener.onReply(this, seqno, ok, text);
    }

    void onDelivery(long sentMicros) {
        listener.onDelivery(this, sentMicros);
    }

    /** Queues a text frame; it is flushed at the end of the current read batch or by {@link #flush}. */
    void write(ByteBuf text) {
        channel.write(frames.text(channel.alloc(), text), channel.voidPromise());
        unflushed = true;
    }

    void sendRaw(String text) {
        write(channel.alloc().buffer(text.length()).writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
        flush();
    }

    void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }
}
