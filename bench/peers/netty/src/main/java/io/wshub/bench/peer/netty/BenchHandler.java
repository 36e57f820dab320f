package io.wshub.bench.peer.netty;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bench protocol (wshub json codec): echo, ping, join, broadcast, decoded and encoded by
 * {@link Wire} (streaming, raw slices, no trees: the same technique as wshub). Replies are written
 * during the read and flushed once per read batch. A broadcast is encoded once and the same
 * bytes go to every member through a {@link ChannelGroup}.
 */
@ChannelHandler.Sharable
final class BenchHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private static final AttributeKey<Set<String>> TAGS = AttributeKey.valueOf("tags");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ChannelGroup> rooms = new ConcurrentHashMap<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws IOException {
        ByteBuf in = frame.content();
        if (!in.isReadable()) {
            return; // heartbeat
        }
        Wire.Request msg;
        try {
            msg = Wire.decode(ByteBufUtil.getBytes(in));
        } catch (IOException e) {
            ctx.write(new TextWebSocketFrame(Wire.encode(ctx.alloc(), "error", 400, null, null)));
            return;
        }
        String event = msg.event();
        switch (event) {
            case "echo":
                reply(ctx, event, msg.data(), msg.seqno());
                break;
            case "ping":
                reply(ctx, event, null, msg.seqno());
                break;
            case "join": {
                String[] tag = Wire.fields(msg.data(), "id", "", new byte[1][]);
                reply(ctx, event, JSON.writeValueAsBytes(join(ctx.channel(), tag[0])), msg.seqno());
                break;
            }
            case "broadcast": {
                byte[][] payload = new byte[1][];
                String[] tag = Wire.fields(msg.data(), "tag", "payload", payload);
                int delivered = broadcast(ctx.alloc(), tag[0], payload[0]);
                reply(ctx, event, Wire.ascii("{\"delivered\":" + delivered + "}"), msg.seqno());
                break;
            }
            default:
                ctx.write(new TextWebSocketFrame(Wire.encode(ctx.alloc(), event, 404, null, msg.seqno())));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private Set<String> join(Channel channel, String tag) {
        rooms.computeIfAbsent(tag, t -> new DefaultChannelGroup(t, GlobalEventExecutor.INSTANCE)).add(channel);
        Set<String> tags = channel.attr(TAGS).get();
        if (tags == null) {
            tags = new LinkedHashSet<>();
            channel.attr(TAGS).set(tags);
        }
        tags.add(tag);
        return tags;
    }

    private int broadcast(ByteBufAllocator alloc, String tag, byte[] payload) {
        ChannelGroup members = rooms.get(tag);
        if (members == null || members.isEmpty()) {
            return 0;
        }
        int size = members.size();
        members.writeAndFlush(new TextWebSocketFrame(Wire.encode(alloc, "broadcast", 0, payload, null)));
        return size;
    }

    private static void reply(ChannelHandlerContext ctx, String event, byte[] data, String seqno) {
        ctx.write(new TextWebSocketFrame(Wire.encode(ctx.alloc(), event, 0, data, seqno)), ctx.voidPromise());
    }
}
