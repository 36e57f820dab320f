package io.wshub.hostile;

import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6455 §4 / RFC 9112 at the upgrade (docs/protocol.md §2): each refusal is JSON with its status, and counted. */
class HostileHandshakeTest extends HostileSuite {
    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    private static final String VERSION = "Sec-WebSocket-Version: 13\r\n";
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    private static final String HOST = "Host: 127.0.0.1\r\n";

    /** name, request head (without the final CRLF), expected status, expected failure reason. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no key", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + VERSION, 400, "key"),
                Arguments.of("key of 15 bytes", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + VERSION + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\n", 400, "key"),
                Arguments.of("key of 17 bytes", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + VERSION + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA=\r\n", 400, "key"),
                Arguments.of("key not base64", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + VERSION + "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\r\n", 400, "key"),
                Arguments.of("empty key", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + VERSION + "Sec-WebSocket-Key: \r\n", 400, "key"),
                Arguments.of("two keys", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + VERSION + KEY + KEY, 400, "key"),
                Arguments.of("no version", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY, 426, "version"),
                Arguments.of("version 8", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY + "Sec-WebSocket-Version: 8\r\n", 426, "version"),
                Arguments.of("version 12", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY + "Sec-WebSocket-Version: 12\r\n", 426, "version"),
                Arguments.of("version 14", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY + "Sec-WebSocket-Version: 14\r\n", 426, "version"),
                Arguments.of("version list", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY + "Sec-WebSocket-Version: 13, 8\r\n", 426, "version"),
                Arguments.of("two versions", "GET /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY + VERSION + VERSION, 426, "version"),
                Arguments.of("HTTP/1.0", "GET /ws HTTP/1.0\r\n" + HOST + UPGRADE + KEY + VERSION, 400, "http_version"),
                Arguments.of("no Host", "GET /ws HTTP/1.1\r\n" + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("two Hosts", "GET /ws HTTP/1.1\r\n" + HOST + HOST + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("empty Host", "GET /ws HTTP/1.1\r\nHost: \r\n" + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("Host with a space", "GET /ws HTTP/1.1\r\nHost: a b\r\n" + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("Host with a bad port", "GET /ws HTTP/1.1\r\nHost: a:http\r\n" + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("Host with a path", "GET /ws HTTP/1.1\r\nHost: a/b\r\n" + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("Host with a bad IPv6", "GET /ws HTTP/1.1\r\nHost: [zz]\r\n" + UPGRADE + KEY + VERSION, 400, "host"),
                Arguments.of("no Upgrade header", "GET /ws HTTP/1.1\r\n" + HOST + "Connection: Upgrade\r\n" + KEY + VERSION, 400, "bad_request"),
                Arguments.of("Upgrade: h2c", "GET /ws HTTP/1.1\r\n" + HOST + "Upgrade: h2c\r\nConnection: Upgrade\r\n" + KEY + VERSION, 400, "bad_request"),
                Arguments.of("Connection without Upgrade", "GET /ws HTTP/1.1\r\n" + HOST + "Upgrade: websocket\r\nConnection: keep-alive\r\n" + KEY + VERSION, 400, "bad_request"),
                Arguments.of("POST", "POST /ws HTTP/1.1\r\n" + HOST + UPGRADE + KEY + VERSION + "Content-Length: 0\r\n", 400, "bad_request"),
                Arguments.of("bad token", "GET /ws?token=abc HTTP/1.1\r\n" + HOST + UPGRADE + KEY + VERSION, 401, "invalid_token"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refusals")
    void refusalsAreJsonWithTheirStatusAndAreCounted(String name, String head, int status, String reason) {
        double before = failures(reason);
        RawHttp answer = RawHttp.send(hub.port(), head + "\r\n");
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).startsWith("{\"code\":" + status + ",\"message\":\"");
        if (status == 426) {
            assertThat(answer.header("Sec-WebSocket-Version")).isEqualTo("13");
        }
        assertThat(failures(reason)).isEqualTo(before + 1);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("Host with port", "Host: 127.0.0.1:8080\r\n"),
                Arguments.of("Host name", "Host: example.com\r\n"),
                Arguments.of("IPv6 Host", "Host: [::1]:8080\r\n"),
                Arguments.of("header names in any case", "host: example.com\r\n"));
    }

    @ParameterizedTest(name = "{0} is upgraded")
    @MethodSource("accepted")
    void validVariantsAreUpgraded(String name, String host) {
        RawHttp answer = RawHttp.send(hub.port(), "GET /ws HTTP/1.1\r\n" + host + "upgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n" + KEY + VERSION + "\r\n");
        assertThat(answer.status()).isEqualTo(101);
    }

    @Test
    void anUpgradeTokenOf8KbInTheQueryIsAccepted() {
        String user = "u".repeat(6000);
        try (TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + hub.port() + "/ws?token=" + TestHub.token(user)))) {
            assertThat(c.next("connected").path("data").path("userId").asText()).isEqualTo(user);
        }
    }

    @Test
    void aRequestLineOver16KiBGetsJson414() {
        RawHttp answer = RawHttp.send(hub.port(), "GET /ws?token=" + "a".repeat(17_000) + " HTTP/1.1\r\n" + HOST + "\r\n");
        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.body()).startsWith("{\"code\":414,");
    }

    @Test
    void headersOver16KiBGetJson431() {
        RawHttp answer = RawHttp.send(hub.port(), "GET /healthz HTTP/1.1\r\n" + HOST + "X-Big: " + "b".repeat(17_000) + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.body()).startsWith("{\"code\":431,");
    }

    @Test
    void expectContinueWithAnOversizeBodyGetsJson413() {
        RawHttp answer = RawHttp.send(hub.port(), "POST /api/send/all HTTP/1.1\r\n" + HOST + "X-API-Key: " + TestHub.API_KEY
                + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 50000000\r\n\r\n");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).startsWith("{\"code\":413,");
    }

    @Test
    void aBinaryGarbageRequestGetsJson400() {
        RawHttp answer = RawHttp.send(hub.port(), new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x0d, 0x0a, 0x0d, 0x0a});
        assertThat(answer.status()).isIn(400, -1);
    }

    @Test
    void aClientTricklingItsHeadIsCutOffAtTheHandshakeTimeoutNotLater() throws Exception {
        try (var quick = io.wshub.testing.TestHub.start(cfg -> cfg.limits().handshakeTimeout(Duration.ofMillis(600)));
             Socket s = new Socket("127.0.0.1", quick.port())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            byte[] head = ("GET /ws HTTP/1.1\r\n" + HOST + "X-Slow: " + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            for (byte b : head) {
                try {
                    s.getOutputStream().write(b);
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                Thread.sleep(20); // 200+ bytes at 20 ms: 4 s of trickle if nobody stops it
                if (in.available() > 0 || s.isInputShutdown()) {
                    break;
                }
            }
            if (!closed) {
                assertThat(in.read()).isEqualTo(-1);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).isLessThan(3000);
        }
    }

    @Test
    void aKeepAliveHttpConnectionMayIdleBetweenRequestsLongerThanTheHandshakeTimeout() throws Exception {
        try (var quick = io.wshub.testing.TestHub.start(cfg -> cfg.limits().handshakeTimeout(Duration.ofMillis(300)));
             Socket s = new Socket("127.0.0.1", quick.port())) {
            s.setSoTimeout(10_000);
            String get = "GET /healthz HTTP/1.1\r\n" + HOST + "\r\n";
            s.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
            Thread.sleep(600);
            s.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
        }
    }

    private double failures(String reason) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(TestHub.http(hub, "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith("wshub_handshake_failures_total{") && l.contains("reason=\"" + reason + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
