package io.wshub.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code wshub_backend_requests_seconds{kind, route, outcome}}: latency histogram and, through
 * its count, the outcome counter of every backend call. Routes are the configured ones, so the
 * number of series is bounded by the config, never by clients. Thread-safe.
 */
final class BackendMetrics {
    /** Backend latencies run from a fraction of a millisecond (local) to the timeout (seconds). */
    private static final Duration[] BUCKETS = Stream.of(0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0)
            .map(ms -> Duration.ofNanos((long) (ms * 1_000_000))).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    BackendMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String kind, String route, String outcome, long nanos) {
        if (registry == null) {
            return;
        }
        timers.computeIfAbsent(kind + '\0' + route + '\0' + outcome, k -> Timer.builder("wshub.backend.requests")
                .description("Requests wshub made to backends (event/connect/join proxy, webhooks), by outcome")
                .tag("kind", kind).tag("route", route).tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
