package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends COUNT messages carrying their send time (epoch micros, field {@code t}) with at most
 * WINDOW unanswered at once. Lives on the event loop of a worker process with no subscribers
 * (see {@code Coordinator}), so its replies never wait behind deliveries.
 */
abstract class Publisher {
    /** Payload padding so a broadcast is a typical small chat-sized message (~80 bytes). */
    private static final String PAD = "0123456789abcdef0123456789abcdef";

    final Worker worker;
    final int count;
    final int window;
    int sent;
    int acked;
    int errors;
    long delivered;
    long startMicros;
    long endMicros;
    String failure;

    Publisher(Worker worker, int count, int window) {
        this.worker = worker;
        this.count = count;
        this.window = window;
    }

    abstract void start();

    void onReady(Client client) {
    }

    void onReply(Client client, long seqno, boolean ok, ByteBuf text) {
        worker.countError();
    }

    void onFailed(String reason) {
        failure = reason;
    }

    boolean done() {
        return acked + errors >= count || failure != null;
    }

    String summary() {
        return "published acked=" + acked + " errors=" + errors + " delivered=" + delivered + " start=" + startMicros
                + " end=" + endMicros + (failure == null ? "" : " failure=" + failure.replace(' ', '_'));
    }

    static byte[] payload(int n) {
        return ("{\"t\":" + Clock.epochMicros() + ",\"i\":" + n + ",\"pad\":\"" + PAD + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    void answered(boolean ok, long deliveredCount) {
        if (ok) {
            acked++;
        } else {
            errors++;
        }
        if (deliveredCount > 0) {
            delivered += deliveredCount;
        }
        if (acked + errors == count) {
            endMicros = Clock.epochMicros();
        }
    }

    /** The bench protocol's {@code broadcast} event over one WebSocket, WINDOW requests pipelined. */
    static final class OverWebSocket extends Publisher {
        private final String tag;
        private Client socket;

        OverWebSocket(Worker worker, String tag, int count, int window) {
            super(worker, count, window);
            this.tag = tag;
        }

        @Override
        void start() {
            socket = worker.openPublisherSocket();
        }

        @Override
        void onReady(Client client) {
            startMicros = Clock.epochMicros();
            for (int i = 0; i < window; i++) {
                sendNext();
            }
            socket.flush();
        }

        private void sendNext() {
            if (sent < count) {
                sent++;
                socket.write(worker.proto().broadcast(worker.alloc(), sent, tag,
                        payload(sent)));
            }
        }

        @Override
        void onReply(Client client, long seqno, boolean ok, ByteBuf text) {
            answered(ok, Scan.number(text, Scan.DELIVERED));
            sendNext();
        }

        @Override
        boolean done() {
            boolean finished = super.done();
            if (finished && socket != null) {
                socket.closing = true;
                socket.channel.close();
            }
            return finished;
        }
    }

    /**
     * wshub's HTTP API: {@code POST /api/send/tag/{tag}} (or {@code /api/send/user/{userId}} over
     * a range of user ids), one keep-alive connection per window slot.
     */
    static final class OverHttp extends Publisher {
        private final URI api;
        private final String apiKey;
        private final boolean toUsers;
        private final String tag;
        private final int userFrom;
        private final int userTo;

        OverHttp(Worker worker, URI api, String apiKey, boolean toUsers, String tag, int count, int window,
                 int userFrom, int userTo) {
            super(worker, count, window);
            this.api = api;
            this.apiKey = apiKey;
            this.toUsers = toUsers;
            this.tag = tag;
            this.userFrom = userFrom;
            this.userTo = userTo;
        }

        @Override
        void start() {
            startMicros = Clock.epochMicros();
            for (int i = 0; i < window; i++) {
                ChannelFuture future = worker.bootstrap().clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new Responses());
                    }
                }).connect(new InetSocketAddress(api.getHost(), api.getPort()));
                future.addListener(f -> {
                    if (f.isSuccess()) {
                        sendNext(future.channel());
                    } else {
                        onFailed(String.valueOf(f.cause()));
                    }
                });
            }
        }

        private void sendNext(Channel channel) {
            if (sent >= count) {
                channel.close();
                return;
            }
            int n = sent++;
            Proto proto = worker.proto();
            String path = toUsers
                    ? "/api/send/user/u" + (userFrom + (int) ((n * 7919L) % Math.max(1, userTo - userFrom)))
                    : proto.publishPath(tag);
            byte[] body = proto.publishBody(tag, payload(n));
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                    Unpooled.wrappedBuffer(body));
            request.headers()
                    .set(HttpHeaderNames.HOST, api.getHost() + ":" + api.getPort())
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set("X-API-Key", apiKey);
            channel.writeAndFlush(request);
        }

        private final class Responses extends SimpleChannelInboundHandler<FullHttpResponse> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                ByteBuf content = response.content();
                boolean ok = response.status().code() == 200 && worker.proto().publishOk(content);
                if (!ok && failure == null && errors < 3) {
                    System.err.println("api answered " + response.status() + " "
                            + content.toString(StandardCharsets.UTF_8));
                }
                answered(ok, Scan.number(content, Scan.DELIVERED));
                sendNext(ctx.channel());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                onFailed(String.valueOf(cause));
                ctx.close();
            }
        }
    }
}
