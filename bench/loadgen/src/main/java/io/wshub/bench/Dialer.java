package io.wshub.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;

/** Opens bench WebSockets from a given source address, each with its own user's token. */
final class Dialer {
    private static final int MAX_FRAME = FrameReader.MAX_FRAME;
    private static final int CONNECT_TIMEOUT_MILLIS = 15_000;

    private final URI base;
    private final String wsPath;
    private final Jwt jwt;
    private final Proto proto;
    private final Bootstrap bootstrap;

    Dialer(EventLoopGroup group, URI base, Jwt jwt, Proto proto) {
        this.base = base;
        this.wsPath = base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        this.jwt = jwt;
        this.proto = proto;
        this.bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    }

    /** A bootstrap on the same event loop for other clients (the HTTP publisher). */
    Bootstrap bootstrap() {
        return bootstrap;
    }

    /** Starts connecting {@code client}; failures come back through {@link Client#fail}. */
    void dial(Client client, String sourceIp) {
        URI uri = URI.create(base.getScheme() + "://" + base.getHost() + ":" + base.getPort()
                + proto.path(wsPath, client.token = jwt.token(client.userId)));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .customHeaders(EmptyHttpHeaders.INSTANCE)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .withUTF8Validator(false)
                .dropPongFrames(true)
                .build();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_FRAME),
                        new WebSocketClientProtocolHandler(config), client);
            }
        });
        ChannelFuture future = b.connect(new InetSocketAddress(base.getHost(), base.getPort()),
                new InetSocketAddress(sourceIp, 0));
        client.channel = future.channel();
        future.addListener(f -> {
            if (!f.isSuccess()) {
                client.fail(String.valueOf(f.cause()));
            }
        });
    }
}
