package io.wshub.nats;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code nats-server} on 127.0.0.1 and a free port, for tests: killed (SIGKILL) on
 * {@link #kill} and {@link #close}, and by a shutdown hook if a test forgets.
 */
public final class NatsServer implements AutoCloseable {
    public final int port;
    private final Path dir;
    private Process process;

    private NatsServer(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("wshub-nats");
    }

    public static NatsServer start() {
        try {
            NatsServer server = new NatsServer(freePort());
            server.restart();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts (again) on the same port and waits until it accepts connections. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        try {
            process = new ProcessBuilder(List.of("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nats-server (" + e.getMessage() + "): the NATS tests need "
                    + "nats-server on the PATH, e.g. `apt-get install nats-server`", e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("nats-server exited: " + Files.readString(dir.resolve("nats.log")));
            }
            return Files.readString(dir.resolve("nats.log")).contains("Server is ready") && accepts();
        });
    }

    /** SIGKILL, as a crash. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

    private boolean accepts() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
