package io.wshub.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * examples/backend-node end to end: the real server (its Main in a child JVM) in front of the
 * example's plain-Node backend, driven by real WebSocket clients: connect, join and event
 * routes, a push through the HTTP API, and the webhooks with their signatures.
 */
class BackendExampleTest {
    static final String SECRET = "example-backend-secret";
    static final String API_KEY = "example-api-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Process backend;
    static Process server;
    static String backendUrl;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        port = freePort();
        Path example = Path.of("..", "examples", "backend-node", "server.js").toAbsolutePath().normalize();
        ProcessBuilder node = new ProcessBuilder("node", example.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        node.environment().putAll(Map.of("PORT", "0", "WSHUB_BACKEND_SECRET", SECRET,
                "WSHUB_URL", "http://127.0.0.1:" + port, "WSHUB_API_KEY", API_KEY));
        backend = node.start();
        backendUrl = "http://127.0.0.1:" + readLine(backend, "backend listening on ").trim();

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", Integer.toString(port), "--host", "127.0.0.1", "--api-key", API_KEY, "--auth", "optional",
                "--backend-secret", SECRET,
                "--connect-url", backendUrl + "/wshub/connect",
                "--proxy-url", backendUrl + "/wshub/events",
                "--join-policy", "proxy", "--join-url", backendUrl + "/wshub/join", "--public-tags", "news",
                "--webhook-url", backendUrl + "/wshub/webhooks", "--offline-grace", "1"));
        // the development secret file goes in a directory of its own, not the module's
        server = new ProcessBuilder(cmd).directory(java.nio.file.Files.createTempDirectory("wshub-backend-example").toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        readLine(server, "wshub listening on ");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : new Process[] {server, backend}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static TestClient connect(String token) {
        return TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token));
    }

    @Test
    void theExampleBackendServesConnectJoinEventsAndWebhooks() throws Exception {
        try (TestClient alice = connect("opaque-alice"); TestClient bob = connect("opaque-bob")) {
            assertThat(alice.next("connected").path("data").path("userId").asText()).isEqualTo("alice");
            bob.connectedId();
            // the connect route's tags, then the join route's decisions
            assertThat(alice.request("join", Map.of("id", "room:1")).path("data").toString()).isEqualTo("[\"room:1\",\"user:alice\"]");
            assertThat(bob.request("join", Map.of("id", "room:1")).path("code").asInt()).isZero();
            assertThat(alice.request("join", Map.of("id", "user:bob")).path("code").asInt()).isEqualTo(403);
            assertThat(alice.request("join", Map.of("id", "news")).path("code").asInt()).isZero();

            // an event route that pushes to the room through the HTTP API
            // the push reaches alice too, before or after her reply: the backend pushes while answering
            alice.send("chat/send", Map.of("room", "room:1", "text", "hello"), "s1");
            JsonNode first = alice.next();
            JsonNode second = alice.next();
            JsonNode sent = first.path("event").asText().equals("chat/send") ? first : second;
            JsonNode echo = sent == first ? second : first;
            assertThat(sent.path("code").asInt()).as("%s", sent).isZero();
            assertThat(sent.path("seqno").asText()).isEqualTo("s1");
            assertThat(sent.path("data").path("delivered").asInt()).isEqualTo(2);
            assertThat(echo.path("event").asText()).isEqualTo("chat/message");
            JsonNode pushed = bob.next("chat/message");
            assertThat(pushed.path("data").path("from").asText()).isEqualTo("alice");
            assertThat(pushed.path("data").path("text").asText()).isEqualTo("hello");
            assertThat(pushed.path("data").path("room").asText()).isEqualTo("room:1");

            assertThat(alice.request("chat/send", Map.of("room", "room:2", "text", "x")).path("code").asInt()).isEqualTo(403);
            assertThat(alice.request("profile/get", null).path("data").path("plan").asText()).isEqualTo("free");
            JsonNode unknown = alice.request("nope", null);
            assertThat(unknown.path("code").asInt()).isEqualTo(404);
            assertThat(unknown.path("errorMsg").asText()).isEqualTo("no such event: nope");
        }
        assertThat(TestClient.connectFailure(URI.create("ws://127.0.0.1:" + port + "/ws?token=revoked"), Map.of())).isEqualTo(401);
        assertThat(TestClient.connectFailure(URI.create("ws://127.0.0.1:" + port + "/ws?token=junk"), Map.of())).isEqualTo(403);

        // webhooks, signed like every request (the backend refuses unsigned ones)
        await().atMost(Duration.ofSeconds(15)).until(() -> types("alice").contains("user.offline"));
        assertThat(types("alice")).contains("connect", "user.online", "join", "disconnect", "user.offline");
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(backendUrl + "/wshub/webhooks"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"connect\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    static List<String> types(String user) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(backendUrl + "/webhooks")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> out = new ArrayList<>();
        TestClient.JSON.readTree(r.body()).forEach(h -> {
            if (h.path("user").asText().equals(user)) {
                out.add(h.path("type").asText());
            }
        });
        return out;
    }

    /** The rest of the first stdout line of {@code p} that starts with {@code prefix}. */
    static String readLine(Process p, String prefix) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.startsWith(prefix)) {
                        return l.substring(prefix.length());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("exited without '" + prefix + "'");
        });
        return line.get(60, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
