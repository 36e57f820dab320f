package io.wshub.http;

import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics}: Prometheus text that follows the naming conventions and moves with traffic. */
class MetricsTest {
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.configure(cfg -> {});
        hub.on("chat/send", ctx -> ctx.reply(ctx.rawData()));
        hub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @BeforeEach
    void noConnectionsLeftFromEarlierTests() {
        await().until(() -> scrape().value("wshub_connections") == 0);
    }

    @Test
    void servedWithoutAKeyInPrometheusTextFormat() {
        ApiClient.Answer answer = ApiClient.with(hub, Map.of()).get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(answer.text()).contains("# HELP wshub_connections ", "# TYPE wshub_connections gauge");
    }

    @Test
    void namesFollowThePrometheusConventions() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "named"))) {
            c.connectedId();
            c.request("chat/send", "x");
            Scrape s = scrape();
            for (String family : new String[] {"wshub_connections", "wshub_users", "wshub_tags", "wshub_send_queue_bytes",
                    "wshub_messages_received_total", "wshub_messages_sent_total", "wshub_received_bytes_total",
                    "wshub_sent_bytes_total", "wshub_slow_consumer_closes_total", "wshub_cluster_publish_failures_total",
                    "wshub_handler_duration_seconds_bucket", "wshub_handler_duration_seconds_count",
                    "wshub_netty_memory_used_bytes", "jvm_memory_used_bytes",
                    "jvm_threads_live_threads", "process_uptime_seconds"}) {
                assertThat(s.families()).as("families").contains(family);
            }
            s.types.forEach((name, type) -> {
                if (!name.startsWith("wshub_")) {
                    return;
                }
                assertThat(name).as("snake case").matches("wshub_[a-z0-9_]+");
                String base = name.replaceAll("_(total|max)$", ""); // a counter's suffix; a timer's companion max gauge
                assertThat(base).as("unit named once, at the end").doesNotContain("_bytes_").doesNotContain("_seconds_");
                if (type.equals("counter")) {
                    assertThat(name).as("a counter").endsWith("_total");
                }
            });
            assertThat(s.value("wshub_netty_memory_used_bytes{type=\"direct\"}")).isNotNegative();
        }
    }

    @Test
    void valuesMoveWhenClientsConnectAndSend() {
        Scrape before = scrape();
        try (TestClient a = TestClient.connect(TestHub.ws(hub, "mover")); TestClient b = TestClient.connect(TestHub.ws(hub, "mover"))) {
            a.connectedId();
            b.connectedId();
            a.request("join", Map.of("id", "metrics-room"));
            a.request("chat/send", Map.of("text", "hello"));
            a.request("chat/send", Map.of("text", "again"));
            a.request("invented/event", null);
            hub.sendToUser("mover", "chat/send", "pushed");

            Scrape during = scrape();
            assertThat(during.value("wshub_connections")).isEqualTo(2);
            assertThat(during.value("wshub_users")).isEqualTo(1);
            assertThat(during.value("wshub_tags")).isEqualTo(1);
            assertThat(during.delta(before, "wshub_messages_received_total{event=\"chat/send\"}")).isEqualTo(2);
            assertThat(during.delta(before, "wshub_messages_received_total{event=\"other\"}"))
                    .as("events without a handler share one label").isEqualTo(1);
            assertThat(during.delta(before, "wshub_messages_sent_total{event=\"chat/send\"}"))
                    .as("two replies and the push to both devices").isGreaterThanOrEqualTo(4);
            assertThat(during.delta(before, "wshub_handler_duration_seconds_count{event=\"chat/send\"}")).isEqualTo(2);
            assertThat(during.delta(before, "wshub_received_bytes_total")).isGreaterThan(40);
            assertThat(during.delta(before, "wshub_sent_bytes_total")).isGreaterThan(40);
        }
        await().untilAsserted(() -> {
            Scrape after = scrape();
            assertThat(after.value("wshub_connections")).isZero();
            assertThat(after.value("wshub_users")).isZero();
            assertThat(after.value("wshub_tags")).isZero();
        });
    }

    @Test
    void refusedHandshakesAreCountedByReason() {
        Scrape before = scrape();
        int status = TestClient.connectFailure(java.net.URI.create("ws://127.0.0.1:" + hub.port() + "/ws?token=not-a-jwt"), Map.of());
        assertThat(status).isEqualTo(401);
        Scrape after = scrape();
        double refused = after.series.entrySet().stream().filter(e -> e.getKey().startsWith("wshub_handshake_failures_total{"))
                .mapToDouble(Map.Entry::getValue).sum();
        double earlier = before.series.entrySet().stream().filter(e -> e.getKey().startsWith("wshub_handshake_failures_total{"))
                .mapToDouble(Map.Entry::getValue).sum();
        assertThat(refused - earlier).isEqualTo(1);
    }

    @Test
    void canBeTurnedOff() {
        try (WsHub quiet = TestHub.start(cfg -> cfg.metrics(false))) {
            assertThat(ApiClient.of(quiet).get("/metrics").status()).isEqualTo(404);
        }
    }

    static Scrape scrape() {
        ApiClient.Answer answer = ApiClient.with(hub, Map.of()).get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        return Scrape.parse(answer.text());
    }

    /** A parsed scrape: {@code name{labels}} to value, and each family's {@code # TYPE}. */
    record Scrape(Map<String, Double> series, Map<String, String> types) {
        static Scrape parse(String text) {
            Map<String, Double> series = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    types.put(parts[2], parts[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    int space = line.lastIndexOf(' ');
                    series.put(line.substring(0, space), number(line.substring(space + 1)));
                }
            }
            return new Scrape(series, types);
        }

        private static double number(String s) {
            return switch (s) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(s);
            };
        }

        java.util.Set<String> families() {
            java.util.Set<String> names = new java.util.TreeSet<>();
            series.keySet().forEach(k -> names.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
            return names;
        }

        /** The value of a series, or 0 when it is not there (a labelled counter before its first count). */
        double value(String key) {
            return series.getOrDefault(key, 0.0);
        }

        double delta(Scrape before, String key) {
            return value(key) - before.value(key);
        }
    }
}
