package io.wshub.proxy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.testing.TestBackend;
import io.wshub.testing.TestBackend.Answer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/backend.md "Event proxy": client events without a Java handler go to a real HTTP backend. */
class EventProxyTest {
    static final String SECRET = "shared-backend-secret";
    static final TestBackend backend = new TestBackend();
    static final CountDownLatch release = new CountDownLatch(1);
    static Backend client;
    static WsHub hub;

    @BeforeAll
    static void start() {
        backend.on("/echo", req -> {
            JsonNode body = req.json();
            return Answer.json(TestClient.JSON.writeValueAsString(Map.of("code", 0, "data",
                    Map.of("got", body.path("data"), "user", body.path("user").asText(), "seqno", body.path("seqno").asText()))));
        });
        backend.on("/refuse", req -> Answer.json("{\"code\": 403, \"errorMsg\": \"not in this room\"}"));
        backend.on("/slow", req -> {
            Thread.sleep(1500);
            return Answer.json("{\"code\":0}");
        });
        backend.on("/stall", req -> {
            release.await(20, TimeUnit.SECONDS);
            return Answer.json("{\"code\":0}");
        });
        backend.on("/garbage", req -> Answer.json("<html>oops</html>"));
        backend.on("/fail", req -> new Answer(500, "{\"error\":\"boom\"}"));
        client = new Backend(SECRET, 10_000, null);
        hub = TestHub.configure(cfg -> {});
        hub.on("local", ctx -> ctx.reply("java"));
        hub.onUnhandled(new EventProxy(List.of(
                // A long timeout: this route is about payloads and order, not about slow backends.
                new ProxyRoute("chat/*", backend.url("/echo"), Duration.ofSeconds(30)),
                new ProxyRoute("refuse", backend.url("/refuse"), null),
                new ProxyRoute("slow", backend.url("/slow"), Duration.ofMillis(200)),
                new ProxyRoute("stall", backend.url("/stall"), Duration.ofSeconds(20)),
                new ProxyRoute("garbage", backend.url("/garbage"), null),
                new ProxyRoute("fail", backend.url("/fail"), null),
                new ProxyRoute("dead", "http://127.0.0.1:1/nothing", null)), client));
        hub.start();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        hub.close();
        backend.close();
    }

    @Test
    void forwardsASignedPayloadAndRepliesWithTheBackendsData() throws Exception {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "alice"))) {
            String id = c.connectedId();
            c.request("join", Map.of("id", "room:1"));
            c.send("{\"event\":\"chat/send\",\"data\":{\"text\":\"hi\"},\"seqno\":\"42\"}");
            JsonNode reply = c.next("chat/send");
            assertThat(reply.path("code").asInt()).isZero();
            assertThat(reply.path("seqno").asText()).isEqualTo("42");
            assertThat(reply.path("data").path("got").path("text").asText()).isEqualTo("hi");

            TestBackend.Request req = backend.requests.stream().filter(r -> r.path().equals("/echo")).reduce((a, b) -> b).orElseThrow();
            JsonNode body = req.json();
            assertThat(body.path("client").asText()).isEqualTo(id);
            assertThat(body.path("user").asText()).isEqualTo("alice");
            assertThat(body.path("event").asText()).isEqualTo("chat/send");
            assertThat(body.path("seqno").asText()).isEqualTo("42");
            assertThat(body.path("meta").path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(body.path("meta").path("tags").get(0).asText()).isEqualTo("room:1");
            assertThat(body.path("meta").path("node").asText()).isEqualTo(hub.nodeId());
            long ts = Long.parseLong(req.header(Signer.TIMESTAMP_HEADER));
            assertThat(ts).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
            assertThat(new Signer(SECRET).verify(ts, req.body(), req.header(Signer.SIGNATURE_HEADER))).isTrue();
            assertThat(new Signer("another secret").verify(ts, req.body(), req.header(Signer.SIGNATURE_HEADER))).isFalse();
            assertThat(new Signer(SECRET).verify(ts + 1, req.body(), req.header(Signer.SIGNATURE_HEADER))).isFalse();
        }
    }

    @Test
    void javaHandlersWinAndUnroutedEventsStay404() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            assertThat(c.request("local", null).path("data").asText()).isEqualTo("java");
            JsonNode none = c.request("nobody/serves", null);
            assertThat(none.path("code").asInt()).isEqualTo(404);
        }
    }

    @Test
    void backendErrorsBecomeTheClientsErrorCode() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode refused = c.request("refuse", null);
            assertThat(refused.path("code").asInt()).isEqualTo(403);
            assertThat(refused.path("errorMsg").asText()).isEqualTo("not in this room");
            assertThat(c.request("slow", null).path("code").asInt()).isEqualTo(504);
            assertThat(c.request("dead", null).path("code").asInt()).isEqualTo(502);
            assertThat(c.request("fail", null).path("code").asInt()).isEqualTo(502);
        }
    }

    @Test
    void garbageAnswers502AndIsLoggedOncePerEpisode() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.wshub.backend");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            for (int i = 0; i < 5; i++) {
                JsonNode reply = c.request("garbage", null);
                assertThat(reply.path("code").asInt()).isEqualTo(502);
                assertThat(reply.path("errorMsg").asText()).isEqualTo("bad backend answer");
            }
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("/garbage")).hasSize(1);
    }

    @Test
    void thousandConcurrentRequestsFromHundredConnectionsKeepOrder() {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                TestClient c = TestClient.connect(TestHub.ws(hub, "u" + i));
                c.connectedId();
                clients.add(c);
            }
            for (int n = 0; n < 10; n++) {
                for (TestClient c : clients) {
                    c.send("chat/n", Map.of("n", n), "s" + n);
                }
            }
            for (TestClient c : clients) {
                for (int n = 0; n < 10; n++) {
                    JsonNode reply = c.next("chat/n");
                    assertThat(reply.path("code").asInt()).as("%s", reply).isZero();
                    assertThat(reply.path("seqno").asText()).isEqualTo("s" + n);
                    assertThat(reply.path("data").path("got").path("n").asInt()).isEqualTo(n);
                }
            }
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void aStalledBackendNeverSlowsOtherConnections() {
        List<TestClient> stalled = new ArrayList<>();
        try (TestClient other = TestClient.connect(TestHub.ws(hub))) {
            other.connectedId();
            for (int i = 0; i < 20; i++) {
                TestClient c = TestClient.connect(TestHub.ws(hub));
                c.connectedId();
                c.send("stall", null, "x");
                stalled.add(c);
            }
            long[] millis = new long[50];
            for (int i = 0; i < millis.length; i++) {
                long t0 = System.nanoTime();
                other.request("ping", null);
                millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
            java.util.Arrays.sort(millis);
            // A blocked event loop would hold pings for the whole 20 s stall; the median says the
            // loops stay responsive, the maximum allows one scheduler hiccup on a busy machine.
            assertThat(millis[millis.length / 2]).isLessThan(50);
            assertThat(millis[millis.length - 1]).isLessThan(1000);
            assertThat(client.inFlight()).isGreaterThanOrEqualTo(1);
        } finally {
            release.countDown();
            stalled.forEach(c -> assertThat(c.next("stall").path("code").asInt()).isZero());
            stalled.forEach(TestClient::close);
        }
    }

    @Test
    void pastTheGlobalBoundTheClientGets429() throws Exception {
        TestBackend slowOne = new TestBackend();
        CountDownLatch hold = new CountDownLatch(1);
        slowOne.on("/hold", req -> {
            hold.await(10, TimeUnit.SECONDS);
            return Answer.json("{\"code\":0,\"data\":\"late\"}");
        });
        WsHub small = TestHub.configure(cfg -> {});
        small.onUnhandled(new EventProxy(List.of(new ProxyRoute("*", slowOne.url("/hold"), Duration.ofSeconds(10))),
                new Backend(null, 2, null)));
        small.start();
        try (TestClient a = TestClient.connect(TestHub.ws(small)); TestClient b = TestClient.connect(TestHub.ws(small));
             TestClient c = TestClient.connect(TestHub.ws(small))) {
            a.connectedId();
            b.connectedId();
            c.connectedId();
            a.send("x", null, "1");
            b.send("x", null, "2");
            org.awaitility.Awaitility.await().until(() -> slowOne.requests.size() == 2);
            JsonNode over = c.request("x", null);
            assertThat(over.path("code").asInt()).isEqualTo(429);
            hold.countDown();
            assertThat(a.next("x").path("data").asText()).isEqualTo("late");
            assertThat(b.next("x").path("data").asText()).isEqualTo("late");
            assertThat(new String(slowOne.requests.get(0).body(), StandardCharsets.UTF_8)).contains("\"event\":\"x\"");
            assertThat(slowOne.requests.get(0).header(Signer.SIGNATURE_HEADER)).isNull();
        } finally {
            hold.countDown();
            small.close();
            slowOne.close();
        }
    }

    @Test
    void wsrvCodecGetsTheBackendsAnswerInItsOwnShape() {
        WsHub wsrv = TestHub.configure(cfg -> cfg.codec("wsrv"));
        wsrv.onUnhandled(new EventProxy(List.of(new ProxyRoute("*", backend.url("/echo"), null)), client));
        wsrv.start();
        try (TestClient c = TestClient.connect(TestHub.ws(wsrv, "bob"))) {
            c.send("{\"cmd\":\"chat/send\",\"seqno\":\"7\",\"data\":{\"text\":\"yo\"}}");
            JsonNode reply = c.next();
            while (!reply.path("cmd").asText().equals("chat/send")) {
                reply = c.next();
            }
            assertThat(reply.path("status").asInt()).isZero();
            assertThat(reply.path("seqno").asText()).isEqualTo("7");
            assertThat(reply.path("data").path("got").path("text").asText()).isEqualTo("yo");
            assertThat(reply.path("data").path("user").asText()).isEqualTo("bob");
        } finally {
            wsrv.close();
        }
    }
}
