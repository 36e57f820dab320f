package io.wshub.redis;

import io.lettuce.core.cluster.SlotHash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster for tests: six {@code redis-server}s on free ports (three masters, three
 * replicas) joined by {@code redis-cli --cluster create ... --cluster-replicas 1}. A node timeout
 * of 1 s makes a replica take over about 2 to 3 s after its master dies.
 */
public final class TestRedisCluster implements AutoCloseable {
    private static TestRedisCluster shared;

    public final List<RedisServer> nodes;

    private TestRedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** One cluster for the test classes of this JVM that do not break it; stopped at exit. */
    public static synchronized TestRedisCluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static TestRedisCluster start() {
        List<RedisServer> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0"));
        }
        TestRedisCluster cluster = new TestRedisCluster(nodes);
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> cmd.add("127.0.0.1:" + n.port));
        cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                cluster.close();
                throw new IllegalStateException("redis-cli --cluster create failed: " + out);
            }
        } catch (IOException e) {
            cluster.close();
            throw new IllegalStateException("cannot run redis-cli: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(cluster::ready);
        return cluster;
    }

    /** Every node says the cluster is ok and knows all six; every replica is in sync. */
    private boolean ready() {
        for (RedisServer n : nodes) {
            String info = n.call(c -> c.sync().clusterInfo());
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:6")) {
                return false;
            }
            String replication = n.call(c -> c.sync().info("replication"));
            if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                return false;
            }
        }
        return true;
    }

    /** Seed URLs: two of the nodes are enough for Lettuce to find the rest. */
    public List<String> urls() {
        return List.of(nodes.get(0).url(), nodes.get(1).url());
    }

    /** The server that is the master of the slot of {@code key} (a key or a shard channel), per a live node; null mid-failover. */
    public RedisServer masterOf(String key) {
        return masterOf(key, slotOwners());
    }

    /** The master of {@code key}'s slot in a snapshot of {@link #slotOwners}. */
    public RedisServer masterOf(String key, int[] owners) {
        int port = owners[SlotHash.getSlot(key)];
        return nodes.stream().filter(n -> n.port == port).findFirst().orElse(null);
    }

    /** Port of each slot's master (0: none known), as the first node that answers sees it. */
    public int[] slotOwners() {
        for (RedisServer asked : nodes) {
            String view;
            try {
                view = asked.call(c -> c.sync().clusterNodes());
            } catch (RuntimeException down) {
                continue;
            }
            int[] owners = new int[SlotHash.SLOT_COUNT];
            for (String line : view.split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                    continue;
                }
                int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue; // a slot being migrated
                    }
                    String[] range = f[i].split("-");
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    for (int slot = lo; slot <= hi; slot++) {
                        owners[slot] = port;
                    }
                }
            }
            return owners;
        }
        throw new IllegalStateException("no node of the cluster answers");
    }

    /** Shard subscribers of {@code channel} on each node, in {@link #nodes} order; -1 for a node down. */
    public List<Long> shardSubscribers(String channel) {
        return nodes.stream().map(n -> {
            try {
                return n.shardSubscribers(channel);
            } catch (RuntimeException down) {
                return -1L;
            }
        }).toList();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
