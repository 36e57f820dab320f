package io.wshub.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket that writes hand-made frames: any opcode, RSV bits,
 * masking or length, split across writes as the test says. It reads the server's frames
 * back, to assert the exact close code a violation earns.
 */
public final class RawWs implements AutoCloseable {
    public static final int TEXT = 0x1, BINARY = 0x2, CONTINUATION = 0x0, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    /** What {@link #awaitClose} returns when the socket ended without a close frame. */
    public static final int NO_CLOSE_FRAME = -1;

    /** One frame from the server. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame; 1005 when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWs(Socket socket) throws IOException {
        this.socket = socket;
        // Buffered: a flood's reader takes frames by the thousand, one read call per byte would be its bottleneck.
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** Upgrades on {@code pathAndQuery} and reads the 101. */
    public static RawWs open(int port, String pathAndQuery) {
        return open(port, pathAndQuery, new byte[0]);
    }

    /** Upgrades, writing {@code early} in the same write as the request (one TCP segment). */
    public static RawWs open(int port, String pathAndQuery, byte[] early) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            RawWs ws = new RawWs(s);
            byte[] req = ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(req);
            all.write(early);
            ws.out.write(all.toByteArray());
            ws.out.flush();
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                s.close();
                throw new IllegalStateException("upgrade refused: " + head);
            }
            return ws;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A frame as bytes: {@code first} is the FIN/RSV/opcode byte; masked with a random key when {@code mask}. */
    public static byte[] frame(int first, byte[] payload, boolean mask) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(first);
        int m = mask ? 0x80 : 0;
        if (payload.length <= 125) {
            b.write(m | payload.length);
        } else if (payload.length <= 0xFFFF) {
            b.write(m | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length);
        } else {
            b.write(m | 127);
            long len = payload.length;
            for (int i = 7; i >= 0; i--) {
                b.write((int) (len >>> (8 * i)));
            }
        }
        if (mask) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            b.writeBytes(key);
            for (int i = 0; i < payload.length; i++) {
                b.write(payload[i] ^ key[i & 3]);
            }
        } else {
            b.writeBytes(payload);
        }
        return b.toByteArray();
    }

    /** A masked frame with FIN set. */
    public static byte[] frame(int opcode, byte[] payload) {
        return frame(0x80 | opcode, payload, true);
    }

    public static byte[] text(String s) {
        return frame(TEXT, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame's payload: the code and a UTF-8 reason. */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Writes {@code bytes} in one write. */
    public RawWs write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the server may already have closed: the read side tells what it sent
        }
        return this;
    }

    /** Writes {@code bytes} in one write; false once the connection is gone. */
    public boolean tryWrite(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code bytes} in pieces of {@code size}, with a flush (and so a segment) each. */
    public RawWs writeSplit(byte[] bytes, int size) {
        for (int i = 0; i < bytes.length; i += size) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size));
            write(piece);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return this;
    }

    public RawWs sendText(String s) {
        return write(text(s));
    }

    /** The next frame, or null at the end of the stream. */
    public Frame read() {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within the socket timeout", e);
        } catch (IOException e) {
            return null; // reset: the stream ended
        }
    }

    /** The next text frame's text, skipping pongs; fails on anything else. */
    public String nextText() {
        while (true) {
            Frame f = read();
            if (f == null) {
                throw new AssertionError("stream ended while waiting for text");
            }
            if (f.opcode() == TEXT) {
                return f.text();
            }
            if (f.opcode() != PONG && f.opcode() != PING) {
                throw new AssertionError("expected text, got opcode " + f.opcode() + " " + f.text());
            }
        }
    }

    /**
     * Reads until the server's close frame and returns its code; text frames before it are
     * skipped. {@link #NO_CLOSE_FRAME} if the stream ends first.
     */
    public int awaitClose() {
        while (true) {
            Frame f = read();
            if (f == null) {
                return NO_CLOSE_FRAME;
            }
            if (f.opcode() == CLOSE) {
                return f.closeCode();
            }
        }
    }

    /** True when the server ends the TCP stream (after its close frame, if any) within the socket timeout. */
    public boolean awaitEnd() {
        while (true) {
            Frame f = read();
            if (f == null) {
                return true;
            }
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
