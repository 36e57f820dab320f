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

    /** After the WebSocket handshake, for protocols where the client speaks first (Centrifugo's connect). */
    default void onHandshake(Client client) {}

    /** The HTTP publish route for a tag (wshub's API by default; the Go and Node peers serve it too). */
    default String publishPath(String tag) {
        return "/api/send/tag/" + tag;
    }

    default byte[] publishBody(String tag, byte[] payload) {
        return ("{\"event\":\"broadcast\",\"data\":" + new String(payload, java.nio.charset.StandardCharsets.US_ASCII) + "}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Whether a 200 answer to a publish says it worked. */
    default boolean publishOk(ByteBuf answer) {
        return Scan.codeZero(answer);
    }

    static Proto named(String name) {
        switch (name) {
            case "wshub":
                return new WshubProto();
            case "socketio":
                return new SocketIoProto();
            case "centrifugo":
                return new CentrifugoProto();
            default:
                throw new IllegalArgumentException("unknown protocol " + name);
        }
    }
}
