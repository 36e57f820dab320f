package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** The wshub JSON codec (HotGo shape), spoken by wshub, raw Netty, Node ws and Spring. */
final class WshubProto implements Proto {
    private static final byte[] BROADCAST_EVENT = Scan.ascii("\"event\":\"broadcast\"");
    private static final byte[] ECHO_HEAD = Scan.ascii("{\"event\":\"echo\",\"data\":");
    private static final byte[] JOIN_HEAD = Scan.ascii("{\"event\":\"join\",\"data\":{\"id\":\"");
    private static final byte[] BROADCAST_HEAD = Scan.ascii("{\"event\":\"broadcast\",\"data\":{\"tag\":\"");
    private static final byte[] SEQNO_HEAD = Scan.ascii(",\"seqno\":\"");

    @Override
    public String path(String wsPath, String token) {
        return wsPath + "?token=" + token;
    }

    @Override
    public boolean readyOnHandshake() {
        return true;
    }

    /**
     * The received message copied out of its (direct) buffer, grown as needed: one memory copy,
     * then the scans below index a Java array, several times cheaper per byte than
     * ByteBuf.getByte in the workers' C1-compiled code. One Proto per worker, used only on the
     * worker's event loop, so one array is enough.
     */
    private byte[] scratch = new byte[512];

    @Override
    public void onText(Client client, ByteBuf text) {
        int n = text.readableBytes();
        if (n > scratch.length) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        byte[] a = scratch;
        text.getBytes(text.readerIndex(), a, 0, n);
        int seqAt = Scan.lastAfter(a, 0, n, Scan.SEQNO);
        if (seqAt >= 0) {
            client.onReply(Scan.digits(a, seqAt, n), Scan.codeZero(a, 0, n), text);
        } else if (Scan.after(a, 0, n, BROADCAST_EVENT) >= 0) {
            int t = Scan.after(a, 0, n, Scan.T);
            client.onDelivery(t < 0 ? -1 : Scan.digits(a, t, n));
        }
        // Other pushes (wshub's "connected", server notices) carry no bench meaning.
    }

    @Override
    public ByteBuf echo(ByteBufAllocator alloc, long seqno, byte[] data) {
        ByteBuf buf = alloc.buffer(ECHO_HEAD.length + data.length + 32);
        buf.writeBytes(ECHO_HEAD).writeBytes(data);
        return tail(buf, seqno);
    }

    @Override
    public ByteBuf join(ByteBufAllocator alloc, long seqno, String tag) {
        ByteBuf buf = alloc.buffer(64);
        buf.writeBytes(JOIN_HEAD).writeCharSequence(tag, StandardCharsets.UTF_8);
        buf.writeByte('"').writeByte('}');
        return tail(buf, seqno);
    }

    @Override
    public ByteBuf broadcast(ByteBufAllocator alloc, long seqno, String tag, byte[] payload) {
        ByteBuf buf = alloc.buffer(BROADCAST_HEAD.length + payload.length + 64);
        buf.writeBytes(BROADCAST_HEAD).writeCharSequence(tag, StandardCharsets.UTF_8);
        buf.writeCharSequence("\",\"payload\":", StandardCharsets.US_ASCII);
        buf.writeBytes(payload).writeByte('}');
        return tail(buf, seqno);
    }

    private static ByteBuf tail(ByteBuf buf, long seqno) {
        buf.writeBytes(SEQNO_HEAD);
        Scan.writeDigits(buf, seqno);
        buf.writeByte('"').writeByte('}');
        return buf;
    }
}
