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

/** Native epoll on Linux, NIO elsewhere; event loops sized to the CPUs the process may use. */
final class Transport {
    private Transport() {}

    /**
     * Event loops for {@code configured} ({@link io.wshub.WsConfig#ioThreads}): 0 means one per
     * CPU this process may run on. {@link Runtime#availableProcessors()} is that number: the
     * JDK reads the affinity mask (so {@code taskset -c 0} gives 1) and the container's CPU quota,
     * where Netty's own default would be twice the count. More loops than CPUs only add
     * hand-offs and context switches to a fan-out (docs/tuning.md).
     */
    static int loops(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

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
