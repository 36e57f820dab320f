package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * Centrifugo's JSON protocol (v6) over WebSocket: the client opens with
 * {@code {"id":1,"connect":{"token":...}}}, joins with {@code subscribe}, publishes with
 * {@code publish}; publications arrive as {@code {"push":{"channel":...,"pub":{"data":...}}}}
 * and a server ping is {@code {}} (answered {@code {}}). Several messages may share one frame,
 * one per line. Bench seqnos map to command ids {@code seqno + 2} (id 1 is the connect).
 * Centrifugo has no echo command: the echo scenario is not run against it.
 */
final class CentrifugoProto implements Proto {
    private static final byte[] ID = Scan.ascii("\"id\":");
    private static final byte[] PUSH = Scan.ascii("{\"push\":");
    private static final byte[] ERROR = Scan.ascii("\"error\":");
    private static final long CONNECT_ID = 1;

    @Override
    public String path(String wsPath, String token) {
        return "/connection/websocket";
    }

    @Override
    public boolean readyOnHandshake() {
        return false;
    }

    @Override
    public void onHandshake(Client client) {
        client.sendRaw("{\"id\":" + CONNECT_ID + ",\"connect\":{\"token\":\"" + client.token + "\"}}");
    }

    @Override
    public void onText(Client client, ByteBuf text) {
        int end = text.writerIndex();
        int start = text.readerIndex();
        while (start < end) {
            int nl = text.forEachByte(start, end - start, ByteProcessor.FIND_LF);
            int lineEnd = nl < 0 ? end : nl;
            if (lineEnd > start) {
                onMessage(client, text.slice(start, lineEnd - start));
            }
            start = lineEnd + 1;
        }
    }

    private static void onMessage(Client client, ByteBuf msg) {
        if (msg.readableBytes() == 2 && msg.getByte(msg.readerIndex()) == '{') {
            client.sendRaw("{}"); // server ping
            return;
        }
        if (Scan.after(msg, PUSH) == msg.readerIndex() + PUSH.length) {
            client.onDelivery(Scan.number(msg, Scan.T));
            return;
        }
        long id = Scan.number(msg, ID);
        boolean ok = Scan.after(msg, ERROR) < 0;
        if (id == CONNECT_ID) {
            if (ok) {
                client.onReady();
            } else {
                client.fail(msg.toString(StandardCharsets.UTF_8));
            }
        } else if (id > CONNECT_ID) {
            client.onReply(id - 2, ok, msg);
        }
    }

    @Override
    public ByteBuf echo(ByteBufAllocator alloc, long seqno, byte[] data) {
        throw new UnsupportedOperationException("Centrifugo has no echo command");
    }

    @Override
    public ByteBuf join(ByteBufAllocator alloc, long seqno, String tag) {
        return text(alloc, "{\"id\":" + (seqno + 2) + ",\"subscribe\":{\"channel\":\"" + tag + "\"}}");
    }

    @Override
    public ByteBuf broadcast(ByteBufAllocator alloc, long seqno, String tag, byte[] payload) {
        ByteBuf buf = text(alloc, "{\"id\":" + (seqno + 2) + ",\"publish\":{\"channel\":\"" + tag + "\",\"data\":");
        return buf.writeBytes(payload).writeByte('}').writeByte('}');
    }

    @Override
    public String publishPath(String tag) {
        return "/api/publish";
    }

    @Override
    public byte[] publishBody(String tag, byte[] payload) {
        return ("{\"channel\":\"" + tag + "\",\"data\":" + new String(payload, StandardCharsets.US_ASCII) + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean publishOk(ByteBuf answer) {
        return Scan.after(answer, ERROR) < 0;
    }

    private static ByteBuf text(ByteBufAllocator alloc, String s) {
        ByteBuf buf = alloc.buffer(s.length() + 128);
        buf.writeCharSequence(s, StandardCharsets.US_ASCII);
        return buf;
    }
}
