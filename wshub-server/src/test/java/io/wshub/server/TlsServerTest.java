package io.wshub.server;

import io.wshub.testing.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --tls-cert --tls-key --tls-redirect-port}: the ready line says https, the plain port redirects with 308. */
class TlsServerTest {
    private static final Pattern READY = Pattern.compile(
            "wshub listening on (https://127\\.0\\.0\\.1:(\\d+)) ws=/ws .* httpRedirectPort=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void servesHttpsAndRedirectsPlainHttp() throws Exception {
        TestCerts certs = TestCerts.create(dir, "localhost");
        Process p = ServerProcess.start(dir, "--port", "0", "--tls-cert", certs.chain.toString(), "--tls-key", certs.key.toString(),
                "--tls-redirect-port", "0");
        try {
            Matcher ready = ServerProcess.awaitLine(p, READY);
            HttpClient https = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
            HttpResponse<String> admin = https.send(HttpRequest.newBuilder(URI.create(ready.group(1) + "/admin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).isEqualTo(200);

            HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ready.group(3) + "/api/stats?x=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.statusCode()).isEqualTo(308);
            assertThat(redirect.headers().firstValue("location")).hasValue("https://127.0.0.1:" + ready.group(2) + "/api/stats?x=1");
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
