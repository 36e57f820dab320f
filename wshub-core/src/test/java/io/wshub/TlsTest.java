package io.wshub;

import io.wshub.testing.TestCerts;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cfg.tls(chain, key)}: wss and https on one port for real TLS clients (the JDK's and
 * Node's) that trust only the root CA, so the intermediate must come from the served chain;
 * a renewed certificate is served to new connections without a restart.
 */
class TlsTest {
    @TempDir
    static Path dir;
    private static TestCerts certs;
    private static WsHub hub;
    private static HttpClient https;

    @BeforeAll
    static void start() {
        certs = TestCerts.create(dir, "first");
        hub = TestHub.start(cfg -> cfg.tls(certs.chain, certs.key));
        https = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void jdkClientSpeaksHttpsAndWssOnOnePort() throws Exception {
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(url("https", "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        TestClient c = TestClient.connect(https, url("wss", "/ws?token=" + TestHub.token("alice")), Map.of());
        assertThat(c.next("connected").path("data").path("userId").asText()).isEqualTo("alice");
        c.send("{\"event\":\"ping\",\"seqno\":\"1\"}");
        assertThat(c.next("ping").path("seqno").asText()).isEqualTo("1");
        c.close();
    }

    @Test
    void nodeClientSpeaksHttpsAndWss() throws Exception {
        String script = """
                const port = process.argv[1];
                const res = await fetch(`https://127.0.0.1:${port}/healthz`);
                console.log('https ' + res.status);
                const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`);
                ws.onmessage = (e) => { console.log('wss ' + JSON.parse(e.data).event); ws.close(); };
                ws.onerror = (e) => { console.log('wss error ' + e.message); process.exit(1); };
                """;
        ProcessBuilder pb = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings", "--input-type=module",
                "-e", script, Integer.toString(hub.port())).redirectErrorStream(true);
        pb.environment().put("NODE_EXTRA_CA_CERTS", certs.root.toString()); // trusts the root only
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().toList()).as(out).containsExactly("https 200", "wss connected");
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        TestClient before = TestClient.connect(https, url("wss", "/ws"), Map.of());
        before.connectedId();
        String first = servedName();
        assertThat(first).startsWith("CN=");
        certs.reissue("renewed-" + System.nanoTime());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> servedName().startsWith("CN=renewed-"));
        before.send("{\"event\":\"ping\",\"seqno\":\"2\"}");
        assertThat(before.next("ping").path("seqno").asText()).as("an open connection keeps working").isEqualTo("2");
        before.close();
    }

    /** The subject of the leaf a fresh TLS handshake presents. */
    private static String servedName() throws IOException {
        try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("127.0.0.1", hub.port())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            List<?> chain = List.of(s.getSession().getPeerCertificates());
            assertThat(chain).as("leaf and intermediate").hasSize(2);
            return ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
        }
    }

    private static URI url(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + hub.port() + path);
    }
}
