package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Engine.IO v4 / Socket.IO v5 framing over the WebSocket transport: {@code 0{..}} open, the
 * client answers {@code 40} (connect to "/"), {@code 40{..}} connected, {@code 2}/{@code 3}
 * ping/pong, {@code 42N["event",data]} an event expecting ack N, {@code 43N[reply]} the ack.
 */
final class SocketIoProto implements Proto {
    private static final byte[] BROADCAST_EVENT = Scan.ascii("[\"broadcast\"");

    @Override
    public String path(String wsPath, String token) {
        return "/socket.io/?EIO=4&transport=websocket&token=" + token;
    }

    @Override
    public boolean readyOnHandshake() {
        return false;
    }

    @Override
    public void onText(Client client, ByteBuf text) {
        int at = text.readerIndex();
        if (text.readableBytes() == 0) {
            return;
        }
        byte engineType = text.getByte(at);
        switch (engineType) {
            case '0': // engine open: connect to the default namespace
                client.sendRaw("40");
                break;
            case '2': // engine ping
                client.sendRaw("3");
                break;
            case '4':
                onSocketPacket(client, text, at + 1);
                break;
            case '1':
                client.fail("engine close");
                break;
            default:
                break;
        }
    }

    private static void onSocketPacket(Client client, ByteBuf text, int at) {
        if (at >= text.writerIndex()) {
            return;
        }
        switch (text.getByte(at)) {
            case '0':
                client.onReady();
                break;
            case '3':
                client.onReply(Scan.digits(text, at + 1), Scan.codeZero(text), text);
                break;
            case '2':
                if (Scan.after(text, BROADCAST_EVENT) >= 0) {
                    client.onDelivery(Scan.number(text, Scan.T));
                }
                break;
            case '4':
                client.fail("connect_error");
                break;
            default:
                break;
        }
    }

    @Override
    public ByteBuf echo(ByteBufAllocator alloc, long seqno, byte[] data) {
        ByteBuf buf = head(alloc, seqno, "echo", data.length);
        return buf.writeBytes(data).writeByte(']');
    }

    @Override
    public ByteBuf join(ByteBufAllocator alloc, long seqno, String tag) {
        ByteBuf buf = head(alloc, seqno, "join", 32);
        buf.writeCharSequence("{\"id\":\"" + tag + "\"}]", StandardCharsets.UTF_8);
        return buf;
    }

    @Override
    public ByteBuf broadcast(ByteBufAllocator alloc, long seqno, String tag, byte[] payload) {
        ByteBuf buf = head(alloc, seqno, "broadcast", payload.length + 32);
        buf.writeCharSequence("{\"tag\":\"" + tag + "\",\"payload\":", StandardCharsets.UTF_8);
        return buf.writeBytes(payload).writeByte('}').writeByte(']');
    }

    private static ByteBuf head(ByteBufAllocator alloc, long seqno, String event, int extra) {
        ByteBuf buf = alloc.buffer(24 + event.length() + extra);
        buf.writeCharSequence("42" + seqno + "[\"" + event + "\",", StandardCharsets.US_ASCII);
        return buf;
    }
}
