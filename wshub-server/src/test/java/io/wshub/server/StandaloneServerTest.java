package io.wshub.server;

import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real command in a child JVM: defaults, the ready line, static pages, SIGTERM drain with exit 0. */
class StandaloneServerTest {
    private static final Pattern READY = Pattern.compile(
            "wshub listening on (http://127\\.0\\.0\\.1:(\\d+)) ws=(/ws) apiKey=(\\S+) sampleToken=(\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The development secrets file goes here, not into the source tree. */
    @TempDir
    static Path workDir;

    private static Process launch(String... args) throws IOException {
        return ServerProcess.start(workDir, args);
    }

    private static Matcher awaitReady(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("no ready line; exit " + p.exitValue());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void defaultServerPrintsWhatAReaderNeedsAndDrainsOnSigterm() throws Exception {
        Process p = launch("--port", "0", "--drain-timeout", "3");
        try {
            Matcher ready = awaitReady(p);
            String base = ready.group(1);
            String port = ready.group(2);
            String token = ready.group(5);

            TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token));
            assertThat(c.next("connected").path("data").path("userId").asText()).isEqualTo("demo");
            TestClient anon = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            assertThat(anon.next("connected").path("data").path("userId").isNull()).as("auth optional by default").isTrue();

            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> admin = get(base + "/admin");
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            assertThat(get(base + "/demo").statusCode()).as("demo is on with the development secret").isEqualTo(200);
            HttpResponse<String> client = get(base + "/client/wshub.js");
            assertThat(client.statusCode()).isEqualTo(200);
            assertThat(client.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
            assertThat(get(base + "/metrics").body()).contains("wshub_connections");

            p.destroy(); // SIGTERM
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_GOING_AWAY);
            assertThat(anon.awaitClose()).isEqualTo(Protocol.CLOSE_GOING_AWAY);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aConfiguredSecretMeansRequiredAuthNoDemoAndNoPrintedSecrets() throws Exception {
        Process p = launch("--port", "0", "--jwt-secret", "a-production-secret-of-at-least-32-bytes", "--api-key", "k1");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("wshub listening on")) { // test classpath logs go to stdout
                line = out.readLine();
            }
            assertThat(line).startsWith("wshub listening on http://127.0.0.1:").contains("apiKey=(configured)").doesNotContain("sampleToken");
            String port = line.replaceAll(".*:(\\d+) ws=.*", "$1");
            assertThat(get("http://127.0.0.1:" + port + "/demo").statusCode()).isEqualTo(404);
            assertThat(TestClient.connectFailure(URI.create("ws://127.0.0.1:" + port + "/ws"), java.util.Map.of())).isEqualTo(401);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPortInUseFailsFastWithAMessageAndExits() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.wshub.server.Main",
                    "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()))
                    .directory(workDir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("no thread keeps the JVM alive").isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(output).contains("wshub: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void requiredAuthWithTheDevelopmentSecretHasNoDemoLogins() throws Exception {
        Process p = launch("--port", "0", "--auth", "required");
        try {
            Matcher ready = awaitReady(p);
            HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(ready.group(1) + "/demo/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"admin\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(404);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--jwt-secret short | wshub: JWT secret must be at least 32 bytes",
            "--write-delay 5 --write-delay-max 50 | wshub: --write-delay (a fixed window) and --write-delay-max (the automatic window's cap) exclude each other",
            "--write-delay-max 0 | wshub: the automatic write window's cap must be more than 0 and at most 1000 ms, not 0 ms",
            "--write-delay 1001 | wshub: writeDelay must be 0 to 1000 ms, not 1001 ms",
    })
    void badOptionsFailWithAMessage(String options, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.wshub.server.Main", "--port", "0"));
        command.addAll(List.of(options.split(" ")));
        Path log = workDir.resolve("refused.log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(20, TimeUnit.SECONDS);
        p.destroyForcibly(); // a server that took the options would still be running
        assertThat(exited).as("refused at start: %s", Files.readString(log)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains(message);
    }
}
