package io.wshub.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} on 127.0.0.1 and a free port, for tests: no persistence, killed
 * (SIGKILL) on {@link #kill} and {@link #close}, and by a shutdown hook if a test forgets.
 */
public final class RedisServer implements AutoCloseable {
    public final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("wshub-redis");
    }

    /** A started server on a free port, with more redis-server options (e.g. {@code --requirepass s}). */
    public static RedisServer start(String... extraArgs) {
        RedisServer server = notStarted(extraArgs);
        server.restart();
        return server;
    }

    /** A server that will listen on a free port once {@link #restart} is called. */
    public static RedisServer notStarted(String... extraArgs) {
        try {
            return new RedisServer(freePort(), List.of(extraArgs));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts (again) on the same port and waits until it answers PING. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-server (" + e.getMessage() + "): the cluster tests need "
                    + "redis-server on the PATH, e.g. `apt-get install redis-server`", e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            return ping();
        });
    }

    /** SIGKILL, as a crash: no goodbye to clients. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly(); // SIGKILL works on a frozen process too
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP (true) or SIGCONT (false): a Redis that keeps its connections but never answers. */
    synchronized void freeze(boolean frozen) {
        try {
            new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** Runs {@code f} on a fresh connection (test-side checks of what is in Redis). */
    <T> T call(Function<StatefulRedisConnection<String, String>, T> f) {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return f.apply(c);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** Subscribers of {@code channel} according to Redis. */
    public long subscribers(String channel) {
        Map<String, Long> n = call(c -> c.sync().pubsubNumsub(channel));
        return n.getOrDefault(channel, 0L);
    }

    /** Subscribers of shard channel {@code channel} on this server (SSUBSCRIBE, Redis Cluster). */
    public long shardSubscribers(String channel) {
        Map<String, Long> n = call(c -> c.sync().pubsubShardNumsub(channel));
        return n.getOrDefault(channel, 0L);
    }

    private boolean ping() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.read(buf);
            String reply = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH"); // up, and wants a password
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
