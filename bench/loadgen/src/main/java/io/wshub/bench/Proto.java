package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How the bench protocol looks on the wire for one kind of server. The wshub JSON codec is
 * the reference ({@link WshubProto}); Socket.IO maps it onto events with acks ({@link SocketIoProto}).
 */
interface Proto {
    /** Path and query of the WebSocket URL for a connection presenting {@code token}. */
    String path(String wsPath, String token);

    /** False when the connection is usable only after a protocol-level open (Socket.IO's {@code 40}). */
    boolean readyOnHandshake();

    /** Interprets one received text frame and calls back into {@code client}. */
    void onText(Client client, ByteBuf text);

    ByteBuf echo(ByteBufAllocator alloc, long seqno, byte[] data);

    ByteBuf join(ByteBufAllocator alloc, long seqno, String tag);

    ByteBuf broadcast(ByteBufAllocator alloc, long seqno, String tag, byte[] payload);

    static Proto named(String name) {
        switch (name) {
            case "wshub":
                return new WshubProto();
            case "socketio":
                return new SocketIoProto();
            default:
                throw new IllegalArgumentException("unknown protocol " + name);
        }
    }
}
