package io.wshub.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.PooledByteBufAllocator;
import io.wshub.registry.Registry;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * wshub's meters (Prometheus names: {@code wshub_connections}, {@code
 * wshub_messages_received_total}, {@code wshub_received_bytes_total}, ...; MetricsTest
 * checks the names against the Prometheus conventions). Event names become a label only for events that
 * have a handler; anything else counts as {@code other}, so clients cannot blow up the
 * number of series by inventing events.
 *
 * <p>Thread-safe: called from every event loop and sender thread.
 */
final class HubMetrics {
    static final String OTHER = "other";
    /**
     * Handler latency buckets: inline handlers take microseconds, blocking ones milliseconds to
     * seconds. Twelve fixed buckets instead of Micrometer's 69-bucket default, whose lowest
     * bucket (1 ms) would hold nearly every inline handler.
     */
    private static final Duration[] HANDLER_BUCKETS = Stream.of(10_000L, 50_000L, 100_000L, 500_000L, 1_000_000L,
            5_000_000L, 10_000_000L, 50_000_000L, 100_000_000L, 500_000_000L, 1_000_000_000L, 5_000_000_000L)
            .map(Duration::ofNanos).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Set<String> knownEvents;
    // Per-message counts are plain LongAdders read at scrape time (FunctionCounter): a
    // Micrometer Counter adds a DoubleAdder and exemplar checks to every message.
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, Timer> handlerTime = new ConcurrentHashMap<>();
    /**
     * The meters of every event label seen, found with one lookup per message (the event's
     * String hashes once): label, adders and timer used to cost six lookups per request.
     */
    private final Map<String, EventMeters> byEvent = new ConcurrentHashMap<>();
    private final EventMeters other = new EventMeters(OTHER);
    private final Map<String, Counter> handshakeFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();
    private final Map<String, Counter> decodeFailures = new ConcurrentHashMap<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Counter slowConsumers;
    private final Counter brokerFailures;

    HubMetrics(MeterRegistry registry, Set<String> knownEvents) {
        this.registry = registry;
        this.knownEvents = knownEvents;
        // The unit ends the name: Prometheus appends the base unit unless the name already ends
        // with it, so "wshub.bytes.received" came out as wshub_bytes_received_bytes_total.
        FunctionCounter.builder("wshub.received.bytes", bytesIn, LongAdder::sum).baseUnit("bytes").description("WebSocket payload bytes received").register(registry);
        FunctionCounter.builder("wshub.sent.bytes", bytesOut, LongAdder::sum).baseUnit("bytes").description("WebSocket payload bytes sent").register(registry);
        slowConsumers = Counter.builder("wshub.slow.consumer.closes").description("Connections closed with 4008 because their outbound queue overflowed").register(registry);
        brokerFailures = Counter.builder("wshub.cluster.publish.failures").description("Sends that could not reach other nodes because the broker was down").register(registry);
    }

    /** Gauges that read the registry and the allocator at scrape time, plus JVM meters when {@code jvm}. */
    void bind(Registry connections, ToDoubleFunction<Registry> queuedBytes, boolean jvm) {
        Gauge.builder("wshub.connections", connections, Registry::connectionCount).description("Open WebSocket connections on this node").register(registry);
        Gauge.builder("wshub.users", connections, Registry::userCount).description("Users with a connection on this node").register(registry);
        Gauge.builder("wshub.tags", connections, Registry::tagCount).description("Tags with a member on this node").register(registry);
        Gauge.builder("wshub.send.queue.bytes", connections, queuedBytes).baseUnit("bytes").description("Bytes waiting in outbound queues").register(registry);
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        Gauge.builder("wshub.netty.memory.used", alloc, a -> a.metric().usedDirectMemory()).tag("type", "direct").baseUnit("bytes").register(registry);
        Gauge.builder("wshub.netty.memory.used", alloc, a -> a.metric().usedHeapMemory()).tag("type", "heap").baseUnit("bytes").register(registry);
        if (!jvm) {
            return;
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    void received(String event, int bytes) {
        bytesIn.add(bytes);
        meters(event).received().increment();
    }

    void sent(String event, int bytes, int recipients) {
        if (recipients == 0) {
            return;
        }
        bytesOut.add((long) bytes * recipients);
        meters(event).sent().add(recipients);
    }

    long messagesIn() {
        return sum(received);
    }

    long messagesOut() {
        return sum(sent);
    }

    void handlerTime(String event, long nanos) {
        meters(event).handlerTime().record(nanos, TimeUnit.NANOSECONDS);
    }

    void handshakeFailed(String reason) {
        counter(handshakeFailures, reason, r -> Counter.builder("wshub.handshake.failures").tag("reason", r).description("Upgrade requests refused").register(registry)).increment();
    }

    /**
     * A client message the codec refused, by reason. Reasons are the codec's messages, which are
     * few and fixed; past 32 distinct ones (a custom codec with variable messages) they count as
     * {@code other}, so the number of series stays bounded.
     */
    void decodeFailed(String reason) {
        String label = reason != null && reason.length() <= 64 && (decodeFailures.containsKey(reason) || decodeFailures.size() < 32) ? reason : OTHER;
        counter(decodeFailures, label, r -> Counter.builder("wshub.decode.failures").tag("reason", r).description("Client messages the codec refused").register(registry)).increment();
    }

    void closed(int code) {
        counter(closes, Integer.toString(code), c -> Counter.builder("wshub.closes").tag("code", c).description("Connections closed, by close code").register(registry)).increment();
    }

    void slowConsumer() {
        slowConsumers.increment();
    }

    void brokerFailure() {
        brokerFailures.increment();
    }

    /** An event with a handler has meters of its own; any other name counts as {@code other}. */
    private EventMeters meters(String event) {
        EventMeters m = byEvent.get(event);
        if (m != null) {
            return m;
        }
        return knownEvents.contains(event) ? byEvent.computeIfAbsent(event, EventMeters::new) : other;
    }

    /**
     * One label's meters, each registered on its first use (a scrape shows only what happened).
     * The fields are a cache of the maps above: a thread that finds one null asks the map, which
     * hands every thread the same meter.
     */
    private final class EventMeters {
        private final String label;
        private volatile LongAdder received;
        private volatile LongAdder sent;
        private volatile Timer handlerTime;

        EventMeters(String label) {
            this.label = label;
        }

        LongAdder received() {
            LongAdder a = received;
            return a != null ? a : (received = adder(HubMetrics.this.received, label, "wshub.messages.received", "Messages received from clients"));
        }

        LongAdder sent() {
            LongAdder a = sent;
            return a != null ? a : (sent = adder(HubMetrics.this.sent, label, "wshub.messages.sent", "Messages written to clients"));
        }

        Timer handlerTime() {
            Timer t = handlerTime;
            return t != null ? t : (handlerTime = HubMetrics.this.handlerTime.computeIfAbsent(label, e -> Timer.builder("wshub.handler.duration").tag("event", e)
                    .description("Time in middleware and handler per message")
                    .serviceLevelObjectives(HANDLER_BUCKETS).register(registry)));
        }
    }

    private LongAdder adder(Map<String, LongAdder> cache, String event, String name, String description) {
        LongAdder a = cache.get(event);
        return a != null ? a : cache.computeIfAbsent(event, e -> {
            LongAdder fresh = new LongAdder();
            FunctionCounter.builder(name, fresh, LongAdder::sum).tag("event", e).description(description).register(registry);
            return fresh;
        });
    }

    private static long sum(Map<String, LongAdder> adders) {
        long total = 0;
        for (LongAdder a : adders.values()) {
            total += a.sum();
        }
        return total;
    }

    private static Counter counter(Map<String, Counter> cache, String key, Function<String, Counter> make) {
        Counter c = cache.get(key);
        return c != null ? c : cache.computeIfAbsent(key, make);
    }
}
