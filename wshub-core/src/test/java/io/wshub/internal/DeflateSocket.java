package io.wshub.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client on a bare socket that sees the wire: which frames carry RSV1, and what they
 * inflate to. It offers permessage-deflate with the given header and can send compressed frames.
 */
final class DeflateSocket implements AutoCloseable {
    /** One frame as it came off the wire, payload inflated when RSV1 was set. */
    record Frame(int opcode, boolean compressed, int wireBytes, String text) {}

    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final String extensionsHeader;

    DeflateSocket(int port, String offer) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        String ext = null;
        String status = line();
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        for (String h = line(); !h.isEmpty(); h = line()) {
            if (h.regionMatches(true, 0, "sec-websocket-extensions:", 0, 25)) {
                ext = h.substring(25).trim();
            }
        }
        extensionsHeader = ext;
    }

    /** The next data or close frame (pings and pongs are skipped). */
    Frame next() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int len = in.readUnsignedByte() & 0x7F;
            long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
            byte[] payload = in.readNBytes((int) length);
            int opcode = b0 & 0x0F;
            boolean rsv1 = (b0 & 0x40) != 0;
            if (opcode == 0x9 || opcode == 0xA) {
                continue;
            }
            String text = opcode == 0x8 ? "" + (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF))
                    : new String(rsv1 ? inflate(payload) : payload, StandardCharsets.UTF_8);
            return new Frame(opcode, rsv1, payload.length, text);
        }
    }

    /** Sends a masked text frame, compressed (RSV1) when asked. */
    void send(String text, boolean compress) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (compress) {
            payload = deflate(payload);
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | (compress ? 0x40 : 0) | 0x1);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        byte[] out = new byte[n - SYNC_TAIL.length]; // RFC 7692 §7.2.1: the empty tail block is left off
        System.arraycopy(buf, 0, out, 0, out.length);
        return out;
    }

    private static byte[] inflate(byte[] data) throws IOException {
        Inflater inf = new Inflater(true);
        try {
            byte[] all = new byte[data.length + 4];
            System.arraycopy(data, 0, all, 0, data.length);
            System.arraycopy(SYNC_TAIL, 0, all, data.length, 4);
            inf.setInput(all);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                int n = inf.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && (inf.needsInput() || inf.finished())) {
                    break;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("not deflate data: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
