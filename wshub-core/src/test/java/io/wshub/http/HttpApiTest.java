package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/protocol.md §4 as a backend uses it: each endpoint's answer, and what WebSocket clients see. */
class HttpApiTest {
    static WsHub hub;
    static ApiClient api;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.apiKeys(List.of("other-key", TestHub.API_KEY)));
        api = ApiClient.of(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @BeforeEach
    void noConnectionsLeftFromEarlierTests() {
        await().until(() -> hub.stats().toCompletableFuture().join().connections() == 0);
    }

    @Test
    void sendToUserReachesEveryDeviceOfThatUserOnly() {
        try (TestClient phone = connect("alice"); TestClient laptop = connect("alice"); TestClient bob = connect("bob")) {
            JsonNode answer = api.post("/api/send/user/alice", Map.of("event", "notice", "data", Map.of("text", "hi"))).json();
            assertThat(answer.toString()).isEqualTo("{\"code\":0,\"data\":{\"delivered\":2}}");
            for (TestClient device : List.of(phone, laptop)) {
                JsonNode msg = device.next("notice");
                assertThat(msg.path("data").path("text").asText()).isEqualTo("hi");
                assertThat(msg.path("code").asInt()).isZero();
                assertThat(msg.path("timestamp").asLong()).isGreaterThan(1_600_000_000L).isLessThan(10_000_000_000L);
            }
            assertThat(bob.request("ping", null).path("event").asText()).as("bob got nothing before his ping reply").isEqualTo("ping");
        }
    }

    @Test
    void sendToTagReachesItsMembers() {
        try (TestClient a = connect("tag-a"); TestClient b = connect("tag-b"); TestClient outsider = connect("tag-c")) {
            a.request("join", Map.of("id", "room 1"));
            b.request("join", Map.of("id", "room 1"));
            assertThat(delivered("/api/send/tag/" + encode("room 1"), Map.of("event", "room/msg", "data", 7))).isEqualTo(2);
            assertThat(a.next("room/msg").path("data").asInt()).isEqualTo(7);
            assertThat(b.next("room/msg").path("data").asInt()).isEqualTo(7);
            assertThat(outsider.request("ping", null).path("event").asText()).isEqualTo("ping");
        }
    }

    @Test
    void sendToClientReachesThatConnectionOnly() {
        try (TestClient a = TestClient.connect(TestHub.ws(hub)); TestClient b = TestClient.connect(TestHub.ws(hub))) {
            String id = a.connectedId();
            b.connectedId();
            assertThat(delivered("/api/send/client/" + encode(id), Map.of("event", "direct"))).isEqualTo(1);
            JsonNode msg = a.next("direct");
            assertThat(msg.has("data")).as("no data sent, none pushed: %s", msg).isFalse();
            assertThat(b.request("ping", null).path("event").asText()).isEqualTo("ping");
        }
    }

    @Test
    void sendToAllReachesEveryone() {
        try (TestClient a = connect("all-a"); TestClient anonymous = anonymous()) {
            assertThat(delivered("/api/send/all", Map.of("event", "broadcast", "data", List.of(1, "two")))).isEqualTo(2);
            assertThat(a.next("broadcast").path("data").toString()).isEqualTo("[1,\"two\"]");
            assertThat(anonymous.next("broadcast").path("data").toString()).isEqualTo("[1,\"two\"]");
        }
    }

    @Test
    void pathSegmentsAreUrlDecoded() {
        String user = "José María/42 + co";
        try (TestClient c = connect(user)) {
            c.request("join", Map.of("id", "sala ñ/1"));
            assertThat(delivered("/api/send/user/" + encode(user), Map.of("event", "e1"))).isEqualTo(1);
            c.next("e1");
            assertThat(delivered("/api/send/tag/" + encode("sala ñ/1"), Map.of("event", "e2"))).isEqualTo(1);
            c.next("e2");
            JsonNode kicked = api.post("/api/users/" + encode(user) + "/kick", null).json();
            assertThat(kicked.path("data").path("kicked").asInt()).isEqualTo(1);
        }
    }

    @Test
    void clientsListsConnectionsWithFiltersAndPages() {
        long before = System.currentTimeMillis() / 1000;
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(connect("lister"));
            }
            clients.add(connect("someone-else"));
            clients.get(0).request("join", Map.of("id", "zeta"));
            clients.get(0).request("join", Map.of("id", "alpha"));

            JsonNode page = api.get("/api/clients?userId=lister&page=2&perPage=2").data();
            assertThat(page.path("total").asInt()).isEqualTo(5);
            assertThat(page.path("page").asInt()).isEqualTo(2);
            assertThat(page.path("perPage").asInt()).isEqualTo(2);
            assertThat(page.path("list")).hasSize(2);

            JsonNode all = api.get("/api/clients").data();
            assertThat(all.path("total").asInt()).isEqualTo(6);
            assertThat(all.path("perPage").asInt()).as("default page size").isEqualTo(20);
            assertThat(all.path("page").asInt()).isEqualTo(1);

            JsonNode tagged = api.get("/api/clients?tag=alpha&userId=&ip=").data();
            assertThat(tagged.path("total").asInt()).isEqualTo(1);
            JsonNode item = tagged.path("list").get(0);
            assertThat(fieldNames(item)).containsExactly("id", "userId", "ip", "userAgent", "tags", "connectedAt", "lastSeenAt", "node");
            assertThat(item.path("userId").asText()).isEqualTo("lister");
            assertThat(item.path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(item.path("userAgent").asText()).isNotEmpty();
            assertThat(item.path("tags").toString()).isEqualTo("[\"alpha\",\"zeta\"]");
            assertThat(item.path("connectedAt").asLong()).as("Unix seconds").isBetween(before, before + 60);
            assertThat(item.path("lastSeenAt").asLong()).isGreaterThanOrEqualTo(item.path("connectedAt").asLong());
            assertThat(item.path("node").asText()).isEqualTo(hub.nodeId());

            assertThat(api.get("/api/clients?ip=127.0.0.1").data().path("total").asInt()).isEqualTo(6);
            assertThat(api.get("/api/clients?ip=10.9.9.9").data().path("total").asInt()).isZero();
            assertThat(api.get("/api/clients?page=9").data().path("list")).isEmpty();
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void usersAndTagsCountConnections() {
        try (TestClient a1 = connect("u-one"); TestClient a2 = connect("u-one"); TestClient b = connect("u-two")) {
            a1.request("join", Map.of("id", "t-x"));
            a2.request("join", Map.of("id", "t-x"));
            b.request("join", Map.of("id", "t-y"));
            JsonNode users = api.get("/api/users").data();
            assertThat(users.toString()).isEqualTo(
                    "{\"list\":[{\"userId\":\"u-one\",\"connections\":2},{\"userId\":\"u-two\",\"connections\":1}],\"total\":2}");
            JsonNode tags = api.get("/api/tags").data();
            assertThat(tags.toString()).isEqualTo(
                    "{\"list\":[{\"tag\":\"t-x\",\"members\":2},{\"tag\":\"t-y\",\"members\":1}],\"total\":2}");
        }
    }

    @Test
    void kickClientDeliversTheReasonThenClosesWith4000() {
        try (TestClient victim = TestClient.connect(TestHub.ws(hub)); TestClient bystander = connect("stays")) {
            String id = victim.connectedId();
            JsonNode answer = api.post("/api/clients/" + encode(id) + "/kick", Map.of("reason", "spam")).json();
            assertThat(answer.toString()).isEqualTo("{\"code\":0,\"data\":{\"kicked\":1}}");
            assertThat(victim.next("kick").path("data").path("reason").asText()).isEqualTo("spam");
            assertThat(victim.awaitClose()).isEqualTo(4000);
            assertThat(bystander.request("ping", null).path("code").asInt()).isZero();
        }
    }

    @Test
    void kickUserClosesEveryDeviceAndTheBodyIsOptional() {
        try (TestClient phone = connect("kicked"); TestClient laptop = connect("kicked")) {
            assertThat(api.post("/api/users/kicked/kick", null).data().path("kicked").asInt()).isEqualTo(2);
            for (TestClient device : List.of(phone, laptop)) {
                device.next("kick");
                assertThat(device.awaitClose()).isEqualTo(4000);
            }
            await().until(() -> api.get("/api/users").data().path("total").asInt() == 0);
        }
    }

    @Test
    void statsCountsConnectionsUsersTagsAndMessages() {
        try (TestClient a = connect("s1"); TestClient b = connect("s2"); TestClient anonymous = anonymous()) {
            a.request("join", Map.of("id", "s-tag"));
            JsonNode stats = api.get("/api/stats").data();
            assertThat(fieldNames(stats)).containsExactly("connections", "users", "tags", "messagesIn", "messagesOut", "uptimeSeconds", "nodes");
            assertThat(stats.path("connections").asInt()).isEqualTo(3);
            assertThat(stats.path("users").asInt()).isEqualTo(2);
            assertThat(stats.path("tags").asInt()).isEqualTo(1);
            assertThat(stats.path("messagesIn").asLong()).isPositive();
            assertThat(stats.path("messagesOut").asLong()).isPositive();
            assertThat(stats.path("uptimeSeconds").asLong()).isNotNegative();
            assertThat(stats.path("nodes").toString()).isEqualTo("[\"" + hub.nodeId() + "\"]");
        }
    }

    @Test
    void authorizationApikeySchemeAndEveryConfiguredKeyWork() {
        for (Map<String, String> auth : List.of(Map.of("Authorization", "apikey " + TestHub.API_KEY),
                Map.of("Authorization", "ApiKey other-key"), Map.of("X-API-Key", "other-key"))) {
            ApiClient.Answer answer = ApiClient.with(hub, auth).get("/api/stats");
            assertThat(answer.status()).as("%s", auth).isEqualTo(200);
            assertThat(answer.json().path("code").asInt()).isZero();
        }
    }

    @Test
    void theJavaApiDoesTheSameAsHttp() {
        try (TestClient c = connect("java-user")) {
            assertThat(hub.sendToUser("java-user", "from-java", Map.of("n", 1))).isEqualTo(1);
            assertThat(c.next("from-java").path("data").path("n").asInt()).isEqualTo(1);
            assertThat(hub.kickUser("java-user", "bye").toCompletableFuture().join()).isEqualTo(1);
            assertThat(c.next("kick").path("data").path("reason").asText()).isEqualTo("bye");
            assertThat(c.awaitClose()).isEqualTo(4000);
        }
    }

    /** A connected client of {@code user}, its {@code connected} event already read. */
    private static TestClient connect(String user) {
        TestClient c = TestClient.connect(TestHub.ws(hub, user));
        c.connectedId();
        return c;
    }

    private static TestClient anonymous() {
        TestClient c = TestClient.connect(TestHub.ws(hub));
        c.connectedId();
        return c;
    }

    private static int delivered(String path, Object body) {
        ApiClient.Answer answer = api.post(path, body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.data().path("delivered").asInt();
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
