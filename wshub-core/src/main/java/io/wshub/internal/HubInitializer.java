package io.wshub.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a new connection. It starts as HTTP; an upgrade swaps the HTTP handlers
 * for WebSocket ones (see {@link Upgrader}).
 */
final class HubInitializer extends ChannelInitializer<SocketChannel> {
    /** Closes HTTP connections (and half-sent requests) silent for the idle timeout; removed on upgrade. */
    static final String READ_TIMEOUT = "http-read-timeout";

    /**
     * 16 KiB for the request line and for all headers together: browsers can only send a token
     * in {@code ?token=}, and tokens of 4-8 KB are common. Past it: 414 / 431.
     */
    static final int MAX_HEAD_LINE = 16 * 1024;
    private static final int MAX_CHUNK = 8192;

    private final RealHub hub;

    HubInitializer(RealHub hub) {
        this.hub = hub;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        TlsContext tls = hub.tls;
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast(READ_TIMEOUT, new ReadTimeoutHandler(hub.config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        HeadDeadline deadline = new HeadDeadline(hub.config.limits().handshakeTimeout().toMillis());
        p.addLast(HeadDeadline.BYTES, deadline.bytes());
        p.addLast("http-codec", new HttpServerCodec(MAX_HEAD_LINE, MAX_HEAD_LINE, MAX_CHUNK));
        p.addLast(HeadDeadline.HEADS, deadline.heads());
        p.addLast("http-aggregator", new BoundedAggregator(hub.config.maxHttpBodyBytes()));
        p.addLast("http-entry", new HttpEntryHandler(hub));
    }
}
