package io.wshub.cluster;

import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.NodeStats;
import io.wshub.Page;
import io.wshub.Target;
import io.wshub.protocol.RawJson;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node of {@link BrokerPresenceContract}: a started broker and presence, an inbox that
 * records every envelope the broker delivers, and a map of "connections" that plays the
 * node's registry (what presence's {@code local} supplier returns).
 *
 * <p>Probes: to learn that a route is live (subscriptions take effect asynchronously), a test
 * publishes envelopes with the event {@value #PROBE} and a unique data value until one comes
 * through; {@link #next} skips probes, so late ones never confuse a test.
 */
public final class ContractMember {
    static final String PROBE = "__probe";
    private static final AtomicLong PROBES = new AtomicLong();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    final String id;
    final Broker broker;
    final Presence presence;
    private final BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    private final Map<String, ClientInfo> local = new ConcurrentHashMap<>();
    /** Plays the hub's message counter in this member's stats record. */
    final AtomicLong messagesIn = new AtomicLong();
    private final Instant startedAt = Instant.ofEpochMilli(System.currentTimeMillis());
    private boolean closed;

    ContractMember(String id, Broker broker, Presence presence) {
        this.id = id;
        this.broker = broker;
        this.presence = presence;
        presence.shareStats(this::stats);
        presence.start(id, local::values);
        broker.start(id, inbox::add);
    }

    // ---- broker ---------------------------------------------------------------------------

    boolean send(Target target, String event, String json) {
        return publish(new Envelope(Envelope.Op.SEND, target, event, RawJson.of(json), id));
    }

    boolean publish(Envelope e) {
        return broker.publish(e);
    }

    /** The next envelope that is not a probe, within 10 s. */
    Envelope next() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Envelope e = poll(deadline - System.nanoTime());
            if (e != null && !PROBE.equals(e.event())) {
                return e;
            }
        }
        throw new AssertionError(id + " got nothing within 10 s");
    }

    /** Publishes probes from this member to {@code target} until {@code to} gets one. */
    void awaitRoute(ContractMember to, Target target) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> probe(to, target, Duration.ofMillis(300)));
    }

    /**
     * Waits until a probe to {@code target} no longer reaches {@code to}: each round publishes a
     * probe and then a probe to everyone, and counts as "no route" when the second arrives
     * alone (an engine keeps one publisher's order on one bus; where the two travel apart a
     * late first one only makes this pass a round later).
     */
    void awaitNoRoute(ContractMember to, Target target) {
        awaitRoute(to, Target.ALL);
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).until(() -> {
            String probe = nextProbe();
            publish(new Envelope(Envelope.Op.SEND, target, PROBE, RawJson.of(probe), id));
            String barrier = nextProbe();
            publish(new Envelope(Envelope.Op.SEND, Target.ALL, PROBE, RawJson.of(barrier), id));
            List<String> seen = to.probesUntil(barrier, Duration.ofSeconds(5));
            return !seen.contains(probe);
        });
    }

    /**
     * Asserts that nothing but probes arrived here: {@code other} publishes a probe to everyone
     * and, once it is here, whatever came before it must have been probes.
     */
    void assertQuiet(ContractMember other) {
        other.awaitRoute(this, Target.ALL);
        String barrier = nextProbe();
        other.publish(new Envelope(Envelope.Op.SEND, Target.ALL, PROBE, RawJson.of(barrier), other.id));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Envelope e = poll(deadline - System.nanoTime());
            if (e == null) {
                continue;
            }
            assertThat(e.event()).as("%s got an unexpected %s for %s from %s", id, e.op(), e.target(), e.origin())
                    .isEqualTo(PROBE);
            if (e.data().equals(RawJson.of(barrier))) {
                return;
            }
        }
        throw new AssertionError(id + " never got the barrier from " + other.id);
    }

    private boolean probe(ContractMember to, Target target, Duration wait) {
        String probe = nextProbe();
        publish(new Envelope(Envelope.Op.SEND, target, PROBE, RawJson.of(probe), id));
        return to.probesUntil(probe, wait).contains(probe);
    }

    /** Probe values that arrive until {@code last} does or {@code wait} runs out; non-probes fail. */
    private List<String> probesUntil(String last, Duration wait) {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Envelope e = poll(deadline - System.nanoTime());
            if (e == null) {
                continue;
            }
            assertThat(e.event()).as("%s got an unexpected %s while probing", id, e.target()).isEqualTo(PROBE);
            String value = new String(e.data().bytes(), java.nio.charset.StandardCharsets.UTF_8);
            seen.add(value);
            if (value.equals(last)) {
                break;
            }
        }
        return seen;
    }

    private static String nextProbe() {
        return "\"p" + PROBES.incrementAndGet() + "\"";
    }

    private Envelope poll(long nanos) {
        try {
            return inbox.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- presence -------------------------------------------------------------------------

    /** A new connection of {@code user} with {@code tags} on this node, announced to presence. */
    ClientInfo connect(String user, String... tags) {
        // Millisecond times (what engines store), strictly increasing so connect order is known.
        Instant at = Instant.ofEpochMilli(System.currentTimeMillis()).plus(CLIENTS.incrementAndGet(), ChronoUnit.MILLIS);
        ClientInfo c = new ClientInfo(id + "." + Integer.toString(CLIENTS.get(), 36), user, "10.0.0." + (CLIENTS.get() % 250),
                "contract/1.0", Set.of(tags), at, at, id);
        local.put(c.id(), c);
        presence.connected(c);
        return c;
    }

    ClientInfo retag(ClientInfo c, String... tags) {
        ClientInfo changed = new ClientInfo(c.id(), c.userId(), c.ip(), c.userAgent(), Set.of(tags),
                c.connectedAt(), c.lastSeenAt(), c.node());
        local.put(c.id(), changed);
        presence.changed(changed);
        return changed;
    }

    void disconnect(ClientInfo c) {
        local.remove(c.id());
        presence.disconnected(c);
    }

    /** This member's record, as a hub's sampler makes it: counts from its "registry", times in ms. */
    NodeStats stats() {
        long users = local.values().stream().map(ClientInfo::userId).distinct().count();
        return new NodeStats(id, local.size(), users, messagesIn.get(), 0, 0.5, 0, startedAt,
                Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    /** Every live node's record, as this member sees them. */
    List<NodeStats> nodeStats() {
        return join(presence.nodeStats(stats()));
    }

    Page<ClientInfo> clients(ClientQuery query) {
        return join(presence.clients(query));
    }

    <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        broker.close();
        presence.close();
    }
}
