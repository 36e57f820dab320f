package io.wshub.nats;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.wshub.redis.RedisServer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The measurement behind "Why presence stays in Redis" in docs/cluster.md (not a test): what it
 * costs a node with {@code N} connections to renew its presence for one TTL period in Redis (as
 * {@code PresenceWriter} does: 5 commands whatever N is) and in JetStream KV without per-key TTLs
 * (every key rewritten, pipelined asynchronous puts). Run:
 * {@code java -cp <test classpath> io.wshub.nats.PresenceStoreCost 20000}.
 */
public final class PresenceStoreCost {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        byte[] json = ("{\"userId\":\"u12345\",\"ip\":\"10.0.0.7\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\","
                + "\"tags\":[\"room1\"],\"connectedAt\":1763760000000,\"lastSeenAt\":1763760000000}").getBytes();
        try (RedisServer redis = RedisServer.start(); NatsJs nats = new NatsJs()) {
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                RedisAsyncCommands<String, String> r = c.async();
                Map<String, String> fields = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    fields.put("a." + i, new String(json));
                }
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    List<RedisFuture<?>> writes = new ArrayList<>();
                    writes.add(r.psetex("p:a:alive", 30_000, "1"));
                    writes.add(r.sadd("p:nodes", "a"));
                    for (String key : List.of("p:a:clients", "p:a:users", "p:a:tags")) {
                        writes.add(r.pexpire(key, 30_000));
                    }
                    CompletableFuture.allOf(writes.stream().map(RedisFuture::toCompletableFuture).toArray(CompletableFuture[]::new)).join();
                    long renew = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    List<Map.Entry<String, String>> all = new ArrayList<>(fields.entrySet());
                    List<RedisFuture<?>> chunks = new ArrayList<>();
                    for (int i = 0; i < all.size(); i += 1000) {
                        Map<String, String> chunk = new HashMap<>();
                        all.subList(i, Math.min(all.size(), i + 1000)).forEach(e -> chunk.put(e.getKey(), e.getValue()));
                        chunks.add(r.hset("p:a:clients", chunk));
                    }
                    CompletableFuture.allOf(chunks.stream().map(RedisFuture::toCompletableFuture).toArray(CompletableFuture[]::new)).join();
                    long full = System.nanoTime() - t0;
                    System.out.printf("redis: renew %d connections' presence: 5 commands, %.2f ms; full write: %d commands, %.1f ms%n",
                            n, renew / 1e6, chunks.size(), full / 1e6);
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                List<CompletableFuture<PublishAck>> acks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    acks.add(nats.js.publishAsync("$KV.presence.a." + i, json));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                System.out.printf("jetstream kv: renew %d connections' presence: %d puts, %.1f ms%n",
                        n, n, (System.nanoTime() - t0) / 1e6);
            }
        }
    }

    /** nats-server with JetStream (memory storage) and a KV bucket "presence". */
    private static final class NatsJs implements AutoCloseable {
        final Process process;
        final Connection connection;
        final JetStream js;

        NatsJs() throws Exception {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            java.nio.file.Path dir = Files.createTempDirectory("wshub-js");
            process = new ProcessBuilder("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()).start();
            Connection c = null;
            for (int i = 0; i < 50 && c == null; i++) {
                try {
                    c = Nats.connect("nats://127.0.0.1:" + port);
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                }
            }
            connection = c;
            connection.keyValueManagement().create(KeyValueConfiguration.builder().name("presence")
                    .storageType(StorageType.Memory).ttl(Duration.ofSeconds(30)).build());
            js = connection.jetStream();
        }

        @Override
        public void close() throws Exception {
            connection.close();
            process.destroyForcibly().waitFor();
        }
    }
}
