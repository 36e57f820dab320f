package io.wshub.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshub.WsHub;
import io.wshub.auth.HmacTokens;
import io.wshub.client.ClientState;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.wshub.client.ServerMessage;
import io.wshub.client.WsHubClient;
import io.wshub.client.WsHubClientException;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a real Spring Boot application: Tomcat on a random port, the hub on another.
 * No {@code wshub.jwt-*} key is set: the application's {@code JwtDecoder} verifies the tokens.
 * {@code @AutoConfigureObservability}: Spring Boot tests turn metrics export off without it.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "wshub.host=127.0.0.1", "wshub.port=0", "wshub.auth=optional",
        "wshub.drain-timeout=1",
        "management.endpoints.web.exposure.include=health,prometheus", "management.endpoint.health.show-details=always"})
class WsHubStarterTest {
    @TestConfiguration
    static class Decoder {
        @Bean
        JwtDecoder jwtDecoder() {
            return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(TestHub.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).build();
        }
    }

    @Autowired WsHub hub;
    @LocalServerPort int httpPort;

    private WsHubClient client;

    @AfterEach
    void closeClient() {
        if (client != null) client.close();
    }

    private WsHubClient connect(String user) throws Exception {
        client = WsHubClient.builder(URI.create("ws://127.0.0.1:" + hub.port() + "/ws")).token(TestHub.token(user)).build();
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void annotatedHandlersBindReplyAndRunOnTheRightThreads() throws Exception {
        WsHubClient c = connect("alice");
        List<ServerMessage> pushed = new CopyOnWriteArrayList<>();
        c.on("chat/message", pushed::add);

        TestApplication.Ack ack = c.request("chat/send", new TestApplication.Chat("r1", "hi"), TestApplication.Ack.class).get(5, TimeUnit.SECONDS);
        assertThat(ack.room()).isEqualTo("r1");
        assertThat(ack.from()).isEqualTo("alice");
        assertThat(ack.thread()).doesNotStartWith("wshub-worker"); // inline: the event loop
        await().until(() -> pushed.size() == 1);

        JsonNode report = c.request("report", null).get(5, TimeUnit.SECONDS);
        assertThat(report.path("thread").asText()).startsWith("wshub-worker"); // blocking = true
        assertThat(report.path("client").asText()).isEqualTo(c.clientId());

        assertThat(c.request("silent", null).get(5, TimeUnit.SECONDS).path("replied").asText()).isEqualTo("by hand");
        assertThatThrownBy(() -> c.request("chat/send", new TestApplication.Chat("r1", " ")).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class, e -> {
                    assertThat(e.serverCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("text is required");
                });
    }

    @Test
    void hubMetersAndHealthShowInActuator() throws Exception {
        WsHubClient c = connect("bob");
        c.request("chat/send", new TestApplication.Chat("r2", "metrics")).get(5, TimeUnit.SECONDS);

        String prometheus = get("/actuator/prometheus");
        assertThat(prometheus).contains("wshub_connections 1.0");
        assertThat(prometheus).containsPattern("wshub_messages_received_total\\{event=\"chat/send\"[^}]*} [1-9]");
        assertThat(prometheus).contains("wshub_handler_duration_seconds_count{event=\"chat/send\"");

        JsonNode health = new ObjectMapper().readTree(get("/actuator/health"));
        assertThat(health.at("/components/wshub/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/wshub/details/port").asInt()).isEqualTo(hub.port());
    }

    @Test
    void aTokenTheDecoderAcceptsConnectsAsItsSubject() throws Exception {
        try (WsHubClient c = clientWith(TestHub.token("carol"))) {
            c.connect().get(10, TimeUnit.SECONDS);
            c.request("ping", null).get(5, TimeUnit.SECONDS); // the connected event came before
            assertThat(c.userId()).isEqualTo("carol");
        }
    }

    @Test
    void aTokenTheDecoderRejectsIsRefusedBeforeTheUpgrade() {
        String forged = HmacTokens.issue("another-secret-that-is-at-least-32-bytes", "mallory", Duration.ofHours(1));
        try (WsHubClient c = clientWith(forged)) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            c.onError(errors::add);
            c.connect();
            await().until(() -> c.state() == ClientState.CLOSED); // a refused fixed token is not retried
            assertThat(errors).singleElement().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                    e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        }
    }

    private WsHubClient clientWith(String token) {
        return WsHubClient.builder(URI.create("ws://127.0.0.1:" + hub.port() + "/ws")).token(token).build();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
