package io.wshub.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A plain-HTTP port that answers every request with 308 to the same path on the TLS port
 * ({@code --tls-redirect-port}). One event-loop thread: it only writes short answers.
 */
final class HttpsRedirect implements AutoCloseable {
    /** A host name, IPv4 or bracketed IPv6 address: anything else in Host is not echoed into Location. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]");

    private final EventLoopGroup group;
    private final Channel channel;

    private HttpsRedirect(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static HttpsRedirect start(String host, int port, int tlsPort, String fallbackHost) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("wshub-redirect", true),
                NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new ReadTimeoutHandler(30), new HttpServerCodec(),
                                    new Redirector(tlsPort, fallbackHost));
                        }
                    }).bind(host, port).sync().channel();
            return new HttpsRedirect(group, ch);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " for the HTTPS redirect: " + e.getMessage(), e);
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Redirector extends SimpleChannelInboundHandler<HttpRequest> {
        private final int tlsPort;
        private final String fallbackHost;

        Redirector(int tlsPort, String fallbackHost) {
            this.tlsPort = tlsPort;
            this.fallbackHost = fallbackHost;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest req) {
            String host = hostName(req.headers().get(HttpHeaderNames.HOST));
            String uri = req.uri().startsWith("/") ? req.uri() : "/";
            FullHttpResponse res;
            if (host == null) {
                res = answer(HttpResponseStatus.BAD_REQUEST, "bad Host header\n");
            } else {
                res = answer(HttpResponseStatus.PERMANENT_REDIRECT, "use https\n");
                res.headers().set(HttpHeaderNames.LOCATION, "https://" + host + (tlsPort == 443 ? "" : ":" + tlsPort) + uri);
            }
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }

        /** The Host header without its port; the bind address when there is none; null when it is not a host name. */
        private String hostName(String header) {
            if (header == null || header.isBlank()) {
                return fallbackHost;
            }
            String h = header.trim();
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(']') < colon) {
                h = h.substring(0, colon);
            }
            return HOST.matcher(h).matches() ? h : null;
        }

        private static FullHttpResponse answer(HttpResponseStatus status, String text) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            return res;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that went away or sent garbage: nothing to log
        }
    }
}
