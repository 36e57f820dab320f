package io.wshub.bench.peer.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.wshub.bench.peer.Hs256;

/**
 * Bench peer (a): the ceiling of wshub's own stack. Netty 4.2 on epoll with Jackson and
 * nothing else: token check before the upgrade, Netty's WebSocket protocol handler, one bench
 * handler. Env: PORT, HOST (127.0.0.1), JWT_SECRET; event loop threads are Netty's default.
 * FLUSH_CONSOLIDATION=N (experiment, not the peer) puts Netty's FlushConsolidationHandler first;
 * TRANSPORT=io_uring (experiment) swaps epoll for Netty's io_uring transport.
 */
public final class NettyPeer {
    /** Same inbound limit as wshub's default (64 KiB). */
    static final int MAX_MESSAGE = 64 * 1024;

    private NettyPeer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "0"));
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
        Hs256 jwt = new Hs256(System.getenv().getOrDefault("JWT_SECRET", "wshub-bench-secret-0123456789abcdef"));
        BenchHandler bench = new BenchHandler();
        // Experiment only (bench/run.sh "netty-fc"): coalesce flushes, up to N writes per syscall.
        int consolidate = Integer.parseInt(System.getenv().getOrDefault("FLUSH_CONSOLIDATION", "0"));
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_MESSAGE).build())
                .build();
        boolean ioUring = "io_uring".equals(System.getenv().getOrDefault("TRANSPORT", "epoll"));
        if (ioUring) {
            IoUring.ensureAvailability();
        }
        IoHandlerFactory io = ioUring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel =
                ioUring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
        Channel server = new ServerBootstrap().group(group).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (consolidate > 0) {
                            ch.pipeline().addLast(new FlushConsolidationHandler(consolidate, true));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_MESSAGE),
                                new TokenCheck(jwt), new WebSocketServerProtocolHandler(wsConfig), bench);
                    }
                })
                .bind(host, port).sync().channel();
        System.out.println("netty peer listening on " + server.localAddress());
        Runtime.getRuntime().addShutdownHook(new Thread(group::shutdownGracefully));
        server.closeFuture().sync();
    }
}
