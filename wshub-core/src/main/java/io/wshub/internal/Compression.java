package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692), docs/protocol.md §1.9.
 *
 * <p>Server to client: the server always declares {@code server_no_context_takeover}, so each
 * message is compressed on its own and the compressed frame is the same bytes for every
 * connection that negotiated the extension: a broadcast is compressed once (see {@link Fanout})
 * and no connection keeps a compressor. Compression uses one {@link Deflater} per thread.
 * Messages under the threshold, and messages that would not shrink, go out uncompressed.
 *
 * <p>Client to server: Netty's decoder inflates, bounded by the inbound message limit. The
 * server asks for {@code client_no_context_takeover} when the client offers it (unless client
 * context takeover is allowed), so an idle connection holds no inflater.
 * Immutable; used from every thread.
 */
final class Compression {
    private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
    /** RSV1 marks a compressed message (RFC 7692 §6). */
    private static final int RSV1 = 0x40;
    /** The empty stored block a sync flush ends with; RFC 7692 §7.2.1 removes it. */
    private static final int SYNC_TAIL = 4;
    /** 6: zlib's default, most of level 9's ratio on JSON at a fraction of its CPU. */
    private static final int LEVEL = 6;
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));

    private final PerMessageDeflateServerExtensionHandshaker handshaker;
    private final int threshold;
    /** Messages compressed so far (what tests look at to see a broadcast compressed once). */
    private final java.util.concurrent.atomic.LongAdder deflated = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param threshold smallest payload, in bytes, that is compressed
     * @param clientContextTakeover false: ask clients that offer it to compress each message on its own
     * @param maxMessageBytes largest inflated message (a zip bomb stops there)
     */
    Compression(int threshold, boolean clientContextTakeover, int maxMessageBytes) {
        this.threshold = threshold;
        // No server window below 15 bits (the JDK's Deflater has no such setting): an offer that
        // demands one is declined and the connection goes on uncompressed.
        this.handshaker = new PerMessageDeflateServerExtensionHandshaker(LEVEL, false,
                PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, !clientContextTakeover, maxMessageBytes);
    }

    /** The accepted permessage-deflate extension for an upgrade request, or null (not offered, or no acceptable offer). */
    WebSocketServerExtension negotiate(HttpHeaders request) {
        String header = request.getAsString(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (header == null) {
            return null;
        }
        for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(header)) {
            Map<String, String> params = new HashMap<>(offer.parameters());
            params.put(SERVER_NO_CONTEXT, null); // the server may always declare it (RFC 7692 §7.1.1.1)
            WebSocketServerExtension accepted = handshaker.handshakeExtension(new WebSocketExtensionData(offer.name(), params));
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    /** The {@code Sec-WebSocket-Extensions} answer for {@code accepted}. */
    static String responseHeader(WebSocketServerExtension accepted) {
        WebSocketExtensionData data = accepted.newReponseData();
        StringBuilder header = new StringBuilder(data.name());
        data.parameters().forEach((key, value) -> {
            header.append("; ").append(key);
            if (value != null) {
                header.append('=').append(value);
            }
        });
        return header.toString();
    }

    /** Whether {@code frame} (a complete unmasked frame, {@link WireFrame}) already carries RSV1. */
    static boolean isCompressed(ByteBuf frame) {
        return (frame.getByte(frame.readerIndex()) & RSV1) != 0;
    }

    /**
     * A compressed copy of a complete unmasked text frame, or null when its payload is under the
     * threshold or would not shrink. {@code frame} is neither changed nor released.
     */
    ByteBuf deflate(ByteBufAllocator alloc, ByteBuf frame) {
        int start = frame.readerIndex();
        int first = frame.getByte(start) & 0xFF;
        if ((first & 0x0F) != 0x1 || (first & RSV1) != 0) {
            return null; // not a text frame, or compressed already
        }
        int len7 = frame.getByte(start + 1) & 0x7F;
        int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
        int length = frame.readableBytes() - header;
        if (length < threshold) {
            return null;
        }
        ByteBuf out = alloc.buffer(length + 16);
        try {
            if (!compressInto(frame.nioBuffer(start + header, length), out, length)) {
                out.release();
                return null;
            }
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        deflated.increment();
        return framed(out, first | RSV1);
    }

    long deflatedCount() {
        return deflated.sum();
    }

    /** Deflates {@code payload} after 10 bytes of header room in {@code out}; false when the result is not smaller. */
    private static boolean compressInto(ByteBuffer payload, ByteBuf out, int length) {
        Deflater deflater = DEFLATERS.get();
        try {
            deflater.setInput(payload);
            out.writerIndex(10);
            while (true) {
                out.ensureWritable(64);
                ByteBuffer target = out.nioBuffer(out.writerIndex(), out.writableBytes());
                int n = deflater.deflate(target, Deflater.SYNC_FLUSH);
                out.writerIndex(out.writerIndex() + n);
                if (out.writerIndex() - 10 - SYNC_TAIL >= length) {
                    return false; // not worth it: the plain frame goes out
                }
                if (target.hasRemaining() && deflater.needsInput()) {
                    break; // all input consumed and the flush fit
                }
            }
        } finally {
            deflater.reset(); // server_no_context_takeover: the next message starts fresh
        }
        out.writerIndex(out.writerIndex() - SYNC_TAIL);
        return true;
    }

    /** Writes the frame header in front of the compressed payload (which starts at index 10). */
    private static ByteBuf framed(ByteBuf out, int firstByte) {
        int length = out.writerIndex() - 10;
        int start;
        if (length <= 125) {
            start = 8;
            out.setByte(9, length);
        } else if (length <= 0xFFFF) {
            start = 6;
            out.setByte(7, 126);
            out.setShort(8, length);
        } else {
            start = 0;
            out.setByte(1, 127);
            out.setLong(2, length);
        }
        out.setByte(start, firstByte);
        return out.readerIndex(start);
    }
}
