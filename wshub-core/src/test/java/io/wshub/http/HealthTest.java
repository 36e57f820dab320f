package io.wshub.http;

import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /healthz}: 200 while the hub accepts, 503 once {@code close()} starts draining. */
class HealthTest {

    @Test
    void readyHubAnswers200WithoutAKey() throws Exception {
        try (WsHub hub = TestHub.start(cfg -> {})) {
            HttpResponse<String> res = healthz(HttpClient.newHttpClient(), hub);
            assertThat(res.statusCode()).isEqualTo(200);
            var body = TestClient.JSON.readTree(res.body());
            assertThat(body.path("code").asInt()).isZero();
            assertThat(body.path("data").path("status").asText()).isEqualTo("ok");
            assertThat(body.path("data").path("node").asText()).isEqualTo(hub.nodeId());
        }
    }

    /**
     * The drain is held open by a client whose event loop is busy in a handler, so its close
     * cannot complete; the health check goes over a keep-alive connection opened before the
     * close (the listening socket is closed first), which two I/O threads put on the other loop.
     */
    @Test
    void drainingHubAnswers503UntilItStops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WsHub hub = TestHub.configure(cfg -> cfg.ioThreads(2).drainTimeout(Duration.ofSeconds(30)));
        hub.on("hold", ctx -> {
            try { // deliberately blocks its event loop: the test's stand-in for a slow close
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hub.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<Void> closing = null;
        try {
            assertThat(healthz(http, hub).statusCode()).isEqualTo(200); // opens the keep-alive connection
            TestClient client = TestClient.connect(TestHub.ws(hub));
            client.connectedId();
            client.send("{\"event\":\"hold\"}");

            closing = CompletableFuture.runAsync(hub::close);
            await().untilAsserted(() -> {
                HttpResponse<String> res = healthz(http, hub);
                assertThat(res.statusCode()).isEqualTo(503);
                assertThat(res.body()).isEqualTo("{\"code\":503,\"message\":\"draining\"}");
            });
            assertThat(closing).isNotDone();

            release.countDown();
            assertThat(client.awaitClose()).as("going away").isEqualTo(1001);
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            if (closing == null) {
                hub.close();
            }
        }
    }

    private static HttpResponse<String> healthz(HttpClient http, WsHub hub) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(TestHub.http(hub, "/healthz")).timeout(Duration.ofSeconds(10)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
