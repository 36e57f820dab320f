package io.wshub.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll on Linux, NIO elsewhere. */
final class Transport {
    private Transport() {}

    static boolean isNative() {
        return Epoll.isAvailable();
    }

    static EventLoopGroup group(int threads, String name) {
        IoHandlerFactory factory = isNative() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // Not daemons: an application whose main returns after start() keeps serving until close().
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false), factory);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return isNative() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
