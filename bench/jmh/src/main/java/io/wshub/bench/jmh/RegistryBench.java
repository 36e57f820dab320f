package io.wshub.bench.jmh;

import io.wshub.Connection;
import io.wshub.registry.Registry;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Lookups in a registry of N connections (1 per user, 100 per tag), and a join/quit pair. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RegistryBench {
    @Param({"10000"})
    public int connections;

    private final Registry registry = new Registry();
    private StubConnection probe;
    private int next;

    @Setup
    public void setup() {
        for (int i = 0; i < connections; i++) {
            StubConnection c = new StubConnection("c" + i, "u" + i);
            registry.add(c);
            registry.join(c, "tag" + (i % (connections / 100)));
        }
        probe = new StubConnection("probe", "probe-user");
        registry.add(probe);
    }

    @Benchmark
    public Connection byClientId() {
        next = (next + 1) % connections;
        return registry.get("c" + next);
    }

    @Benchmark
    public Collection<Connection> byUser() {
        next = (next + 1) % connections;
        return registry.ofUser("u" + next);
    }

    /** Walks the members of a 100-member tag, as a broadcast does. */
    @Benchmark
    public void walkTag(Blackhole bh) {
        next = (next + 1) % (connections / 100);
        for (Connection c : registry.ofTag("tag" + next)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public boolean joinQuit() {
        registry.join(probe, "room");
        return registry.quit(probe, "room");
    }

    /** The identity fields the registry reads; nothing else is used. */
    static final class StubConnection implements Connection {
        private final String id;
        private final String userId;

        StubConnection(String id, String userId) {
            this.id = id;
            this.userId = userId;
        }

        @Override public String id() { return id; }
        @Override public String userId() { return userId; }
        @Override public String ip() { return "127.0.0.1"; }
        @Override public String userAgent() { return "jmh"; }
        @Override public Instant connectedAt() { return Instant.EPOCH; }
        @Override public Instant lastSeenAt() { return Instant.EPOCH; }
        @Override public Set<String> tags() { return Set.of(); }
        @Override public boolean join(String tag) { return false; }
        @Override public boolean quit(String tag) { return false; }
        @Override public boolean send(String event, Object data) { return false; }
        @Override public <T> T attribute(String key) { return null; }
        @Override public void attribute(String key, Object value) { }
        @Override public boolean isOpen() { return true; }
        @Override public void close(int code, String reason) { }
        @Override public void kick(String reason) { }
    }
}
