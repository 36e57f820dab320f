package io.wshub.server;

import io.wshub.protocol.Protocol;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM as a load balancer and clients see it (docs/protocol.md §5.4): a keep-alive health
 * poller gets 503 at once while new connections are still accepted for the grace, then every
 * client gets 1001 (one that never answers close frames is cut off by the server), and the
 * process exits 0.
 */
class DrainTest {
    private static final int GRACE_SECONDS = 3;

    @TempDir
    Path workDir;

    @Test
    void sigtermTurnsHealthTo503WhileStillAcceptingThenClosesEveryoneAndExits0() throws Exception {
        Process p = ServerProcess.start(workDir, "--port", "0", "--drain-grace", "" + GRACE_SECONDS, "--drain-timeout", "5");
        try (HealthPoller health = new HealthPoller(port(p))) {
            int port = health.port;
            assertThat(health.status()).isEqualTo(200);
            TestClient early = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            early.connectedId();
            Socket deaf = RawUpgrade.openSilent(port, "/ws"); // reads nothing until the end, never sends a close frame

            long signalled = System.nanoTime();
            p.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(GRACE_SECONDS)).until(() -> health.status() == 503);

            TestClient late = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            assertThat(late.connectedId()).as("the listener still accepts during the grace").isNotEmpty();

            assertThat(early.awaitClose(20)).isEqualTo(Protocol.CLOSE_GOING_AWAY);
            assertThat(late.awaitClose(20)).isEqualTo(Protocol.CLOSE_GOING_AWAY);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled))
                    .as("nobody is closed before the grace is over").isGreaterThanOrEqualTo(GRACE_SECONDS * 1000L);
            assertThat(closeCodeThenEnd(deaf)).isEqualTo(Protocol.CLOSE_GOING_AWAY);

            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private int port(Process p) throws IOException {
        return Integer.parseInt(ServerProcess.awaitLine(p, ServerProcess.DEV_READY).group(2));
    }

    /** Reads frames off a bare socket up to the server's close frame, then the end of the stream; returns the close code. */
    private static int closeCodeThenEnd(Socket s) throws IOException {
        try (s) {
            s.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            int opcode;
            int length;
            do { // skips what came before (the connected event); the server does not mask its frames
                opcode = in.readUnsignedByte() & 0x0F;
                length = in.readUnsignedByte() & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                }
                if (opcode != 0x8) {
                    in.skipNBytes(length);
                }
            } while (opcode != 0x8);
            int code = in.readUnsignedShort();
            in.skipNBytes(length - 2);
            assertThat(in.read()).as("then the server closes the socket").isEqualTo(-1);
            return code;
        }
    }

    /** {@code GET /healthz} again and again over one keep-alive connection, as a load balancer polls. */
    private static final class HealthPoller implements AutoCloseable {
        final int port;
        private final Socket socket;
        private final InputStream in;

        HealthPoller(int port) throws IOException {
            this.port = port;
            this.socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            this.in = socket.getInputStream();
        }

        /** The status of one more request on the same connection. */
        synchronized int status() throws IOException {
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: lb\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String statusLine = line();
            int length = 0;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return Integer.parseInt(statusLine.substring(9, 12));
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
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
}
