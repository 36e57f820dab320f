package io.wshub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.HistoryRule;
import io.wshub.Target;
import io.wshub.WsConfig;
import io.wshub.WsHub;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos run of docs/history.md, for any cluster engine: two nodes, sends to a tag and a
 * user from both, subscribers whose sockets are cut at random and that reconnect to either
 * node with their positions, and one node restarted in the middle. With history every
 * subscriber ends with every message exactly once and in order; without, never twice.
 *
 * <p>{@code node} makes a started hub of the cluster under test from a config callback.
 */
public final class RecoveryChaos {
    public static final String TAG = "chaos:1";
    public static final String USER = "chaos-user";
    /** Enough to keep every message of a run: recovery never finds a trimmed gap. */
    private static final int KEEP = 10_000;
    /** Sockets a run cuts at least; tests assert more reconnects than ten. */
    public static final int MIN_CUTS = 12;
    /** A session that received nothing for this long may be cut too: nothing may be left to send it. */
    private static final long IDLE_CUT_NANOS = Duration.ofMillis(250).toNanos();

    private final java.util.function.BiFunction<String, Consumer<WsConfig>, WsHub> node;
    private final int sendsPerNodeAndTarget;
    private final int subscribers;

    public RecoveryChaos(java.util.function.BiFunction<String, Consumer<WsConfig>, WsHub> node, int sendsPerNodeAndTarget, int subscribers) {
        this.node = node;
        this.sendsPerNodeAndTarget = sendsPerNodeAndTarget;
        this.subscribers = subscribers;
    }

    private static Consumer<WsConfig> config(boolean history) {
        return cfg -> {
            if (history) {
                cfg.history(HistoryRule.tags("chaos:*", KEEP, Duration.ofMinutes(5)), HistoryRule.users(KEEP, Duration.ofMinutes(5)));
            }
        };
    }

    /** What every subscriber got, per stream, in arrival order. */
    public record Outcome(List<List<Long>> tagSeen, List<List<Long>> userSeen, List<String> problems, int reconnects, int total) {}

    public Outcome run(boolean history) throws InterruptedException {
        AtomicReferenceArray<WsHub> nodes = new AtomicReferenceArray<>(2);
        nodes.set(0, node.apply("a", config(history)));
        nodes.set(1, node.apply("b", config(history)));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger reconnects = new AtomicInteger();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Subscriber> subs = new ArrayList<>();
        try {
            for (int i = 0; i < subscribers; i++) {
                Subscriber s = new Subscriber(nodes, history, stop, problems, reconnects);
                subs.add(s);
                s.thread.start();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> subs.stream().allMatch(s -> s.ready));
            List<Thread> senders = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                for (Target target : List.of(Target.tag(TAG), Target.user(USER))) {
                    int nodeIndex = n;
                    Thread t = new Thread(() -> send(nodes, nodeIndex, target, problems), "send-" + n + "-" + target.kind());
                    senders.add(t);
                    t.start();
                }
            }
            AtomicInteger cuts = new AtomicInteger();
            Thread cutter = new Thread(() -> {
                while (sending.get()) {
                    LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextInt(20, 80)).toNanos());
                    if (subs.get(ThreadLocalRandom.current().nextInt(subs.size())).cut()) {
                        cuts.incrementAndGet();
                    }
                }
            }, "cutter");
            cutter.start();
            LockSupport.parkNanos(Duration.ofMillis(400).toNanos());
            WsHub b = nodes.getAndSet(1, null);
            b.close(); // its clients get 1001 and reconnect; its senders wait
            nodes.set(1, node.apply("b", config(history)));
            for (Thread t : senders) {
                t.join();
            }
            // However fast the sends went, the run cuts at least MIN_CUTS sockets before it stops cutting.
            await().atMost(Duration.ofSeconds(30)).until(() -> cuts.get() >= MIN_CUTS || !problems.isEmpty());
            sending.set(false); // then the subscribers catch up without cuts
            int total = 2 * sendsPerNodeAndTarget;
            if (history) {
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> subs.stream().allMatch(s -> s.caughtUp(total)) || !problems.isEmpty());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    subs.forEach(s -> problems.add("not caught up: " + s));
                }
            } else {
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            }
            stop.set(true);
            cutter.join();
            for (Subscriber s : subs) {
                s.thread.join(15_000);
            }
            return new Outcome(subs.stream().map(s -> s.seen.get("tag:" + TAG)).toList(),
                    subs.stream().map(s -> s.seen.get("user:" + USER)).toList(), problems, reconnects.get(), total);
        } finally {
            stop.set(true);
            for (int i = 0; i < 2; i++) {
                WsHub h = nodes.get(i);
                if (h != null) {
                    h.close();
                }
            }
        }
    }

    private void send(AtomicReferenceArray<WsHub> nodes, int index, Target target, List<String> problems) {
        for (int i = 0; i < sendsPerNodeAndTarget; ) {
            WsHub hub = nodes.get(index);
            if (hub == null || !hub.isAccepting()) {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            try {
                hub.publish(target, "m", Map.of("to", target.kind().name(), "from", index, "i", i)).toCompletableFuture().join();
                i++;
            } catch (RuntimeException e) {
                if (hub.isAccepting()) {
                    problems.add("send " + i + " from node " + index + " failed: " + e);
                    return;
                }
            }
            if (i % 4 == 0) {
                LockSupport.parkNanos(200_000); // spread the sends over the cuts
            }
        }
    }

    /** A client that reconnects with its positions after every cut, as the JS client does. */
    private final class Subscriber {
        final Thread thread = new Thread(this::loop, "subscriber");
        final Map<String, List<Long>> seen = new ConcurrentHashMap<>(Map.of("tag:" + TAG, new CopyOnWriteArrayList<>(),
                "user:" + USER, new CopyOnWriteArrayList<>()));
        final Map<String, long[]> last = new ConcurrentHashMap<>();
        final java.util.Set<String> unique = ConcurrentHashMap.newKeySet();
        final Map<String, String> epochs = new ConcurrentHashMap<>();
        final AtomicReferenceArray<WsHub> nodes;
        final boolean history;
        final AtomicBoolean stop;
        final List<String> problems;
        final AtomicInteger reconnects;
        volatile TestClient client;
        volatile TestClient cutOff;
        volatile boolean ready;
        /** Whether the current session received anything: only those are cut. */
        volatile boolean progressed;
        volatile long sessionStart;

        Subscriber(AtomicReferenceArray<WsHub> nodes, boolean history, AtomicBoolean stop, List<String> problems, AtomicInteger reconnects) {
            this.nodes = nodes;
            this.history = history;
            this.stop = stop;
            this.problems = problems;
            this.reconnects = reconnects;
        }

        @Override
        public String toString() {
            return "subscriber at " + last.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()[0]).toList()
                    + ", connected " + (client != null) + ", ready " + ready;
        }

        boolean caughtUp(int total) {
            return seen.values().stream().allMatch(l -> l.size() >= total);
        }

        /** Cuts the current session if it got somewhere (or had nothing to get); true when it did. */
        boolean cut() {
            TestClient c = client;
            boolean due = progressed || System.nanoTime() - sessionStart > IDLE_CUT_NANOS;
            // each session gets somewhere, however busy the machine; and a session is cut once (a
            // second pick before its loop reconnected counted a cut that gave no reconnect)
            if (c != null && ready && due && cutOff != c) {
                cutOff = c; // abort() tells the listener nothing: the session must see it
                c.abort();
                return true;
            }
            return false;
        }

        private void loop() {
            while (!stop.get()) {
                WsHub hub = nodes.get(ThreadLocalRandom.current().nextInt(2));
                if (hub == null || !hub.isAccepting()) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                try (TestClient c = TestClient.connect(uri(hub))) {
                    progressed = false;
                    sessionStart = System.nanoTime();
                    client = c;
                    session(c);
                } catch (RuntimeException e) {
                    // the node went away while connecting, or the socket was cut: reconnect
                    if (System.getProperty("chaos.debug") != null) {
                        e.printStackTrace();
                    }
                }
                client = null;
                reconnects.incrementAndGet();
            }
        }

        private URI uri(WsHub hub) {
            String inbox = "user:" + USER;
            String since = history && epochs.containsKey(inbox)
                    ? "&since=" + last.get(inbox)[0] + "&epoch=" + epochs.get(inbox) : "";
            return URI.create(TestHub.ws(hub, USER) + since);
        }

        private void session(TestClient c) {
            String stream = "tag:" + TAG;
            Map<String, Object> join = new java.util.LinkedHashMap<>(Map.of("id", TAG));
            if (history && epochs.containsKey(stream)) {
                join.put("since", Map.of("offset", last.get(stream)[0], "epoch", epochs.get(stream)));
            }
            c.send("join", join, "j");
            while (!stop.get() && !c.isClosed() && cutOff != c) {
                JsonNode m = c.poll(100);
                if (m == null) {
                    continue;
                }
                String event = m.path("event").asText();
                if (event.equals("connected") || event.equals("join")) {
                    position(m, event);
                    if (event.equals("join")) {
                        ready = true;
                    }
                } else if (event.equals("m")) {
                    received(m);
                }
            }
        }

        private void position(JsonNode m, String event) {
            if (!history) {
                return;
            }
            String stream = m.path("stream").asText();
            if (stream.isEmpty()) {
                problems.add(event + " without a position: " + m);
                return;
            }
            if (epochs.containsKey(stream)) {
                if (!m.path("recovered").asBoolean()) {
                    problems.add("not recovered: " + m);
                }
            } else {
                epochs.put(stream, m.path("epoch").asText());
                last.put(stream, new long[] {m.path("offset").asLong()});
            }
        }

        private void received(JsonNode m) {
            String stream = m.path("stream").asText();
            if (!history) { // at most once: never the same message twice
                JsonNode d = m.path("data");
                String to = d.path("to").asText().equals("TAG") ? "tag:" + TAG : "user:" + USER;
                long id = d.path("from").asLong() * 1_000_000_000L + d.path("i").asLong();
                if (!unique.add(to + "/" + id)) {
                    problems.add("twice: " + m);
                }
                seen.get(to).add(id);
                progressed = true;
                return;
            }
            long offset = m.path("offset").asLong();
            long[] at = last.get(stream);
            if (at == null || !m.path("epoch").asText().equals(epochs.get(stream))) {
                problems.add("push of an unknown stream or epoch: " + m);
                return;
            }
            if (offset != at[0] + 1) {
                problems.add(stream + ": got offset " + offset + " after " + at[0]);
            }
            at[0] = offset;
            seen.get(stream).add(offset);
            progressed = true;
        }
    }
}
