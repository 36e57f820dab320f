package io.wshub.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.Version;
import io.wshub.WsHub;
import io.wshub.client.WsHubClient;
import io.wshub.client.WsHubClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The example application, started whole, driven by Java clients and its REST API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"wshub.host=127.0.0.1", "wshub.port=0", "wshub.drain-timeout=1"})
class ChatApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired WsHub hub;
    @LocalServerPort int httpPort;

    private final List<WsHubClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(WsHubClient::close);
    }

    /** A client that logs in through the REST API for every (re)connect, as a mobile app would. */
    private WsHubClient user(String name) throws Exception {
        WsHubClient client = WsHubClient.builder(URI.create("ws://127.0.0.1:" + hub.port() + "/ws"))
                .tokenSupplier(() -> post("/login", Map.of("user", name)).path("token").asText())
                .build();
        clients.add(client);
        return client;
    }

    @Test
    void usersChatInARoomAndTheBackendPushesNotices() throws Exception {
        WsHubClient alice = user("alice");
        WsHubClient bob = user("bob");
        List<ChatMessage> bobSees = new CopyOnWriteArrayList<>();
        List<String> bobNotices = new CopyOnWriteArrayList<>();
        bob.on("chat/message", ChatMessage.class, bobSees::add);
        bob.on("notice", m -> bobNotices.add(m.data().path("text").asText()));
        alice.connect().get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);
        alice.join("room:lobby").get(5, TimeUnit.SECONDS);
        bob.join("room:lobby").get(5, TimeUnit.SECONDS);

        JsonNode sent = alice.request("chat/send", Map.of("room", "lobby", "text", "hi bob")).get(5, TimeUnit.SECONDS);
        assertThat(sent.path("delivered").asInt()).isEqualTo(2);
        await().untilAsserted(() -> assertThat(bobSees).singleElement().satisfies(m -> {
            assertThat(m.from()).isEqualTo("alice");
            assertThat(m.text()).isEqualTo("hi bob");
        }));

        assertThat(post("/api/users/bob/notices", Map.of("text", "deploy at 5")).path("delivered").asInt()).isEqualTo(1);
        await().untilAsserted(() -> assertThat(bobNotices).containsExactly("deploy at 5"));

        JsonNode history = bob.request("chat/history", Map.of("room", "lobby")).get(5, TimeUnit.SECONDS);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("text").asText()).isEqualTo("hi bob");
        assertThat(get("/api/rooms/lobby/messages").get(0).path("from").asText()).isEqualTo("alice");
    }

    @Test
    void sendingToARoomNotJoinedIsRefused() throws Exception {
        WsHubClient carol = user("carol");
        carol.connect().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> carol.request("chat/send", Map.of("room", "secret", "text", "psst")).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class, e -> assertThat(e.serverCode()).isEqualTo(403));
    }

    @Test
    void runsOnTheNettyLineTheRepositoryPins() throws Exception {
        Matcher pinned = Pattern.compile("<netty.version>([^<]+)</netty.version>").matcher(Files.readString(Path.of("../../pom.xml")));
        assertThat(pinned.find()).isTrue();
        assertThat(Version.identify().get("netty-common").artifactVersion()).isEqualTo(pinned.group(1));
        assertThat(Files.readString(Path.of("../../wshub-bom/pom.xml"))).contains("<wshub.netty.version>" + pinned.group(1) + "<");
    }

    private JsonNode post(String path, Object body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))).build());
    }

    private JsonNode get(String path) {
        return call(HttpRequest.newBuilder(uri(path)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static JsonNode call(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(request.uri().toString()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
