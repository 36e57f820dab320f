package io.wshub.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An upgrade request over a plain socket, to see exactly what the server answers before any
 * upgrade (status and JSON body), which WebSocket clients hide.
 */
public final class RawUpgrade {
    public record Answer(int status, String body) {}

    private RawUpgrade() {}

    public static Answer send(int port, String pathAndQuery, Map<String, String> headers) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A completed upgrade on a bare socket that then neither reads nor writes: a client that
     * cannot answer pings. The caller closes the socket.
     */
    public static Socket openSilent(int port, String pathAndQuery) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            Answer head = read(s.getInputStream());
            if (head.status() != 101) {
                s.close();
                throw new IllegalStateException("upgrade refused: " + head.status());
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) break;
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(headers.split(" ")[1]);
        int length = 0;
        if (status == 101) {
            return new Answer(status, "");
        }
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }
}
