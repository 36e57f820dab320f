package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.HistoryRule;
import io.wshub.WsHub;
import io.wshub.internal.RealHub;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/openapi.json} against the routes the hub really serves: the route list comes
 * from the hub's router, so a route added without its description (or a description of a route
 * that went away) fails here.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    private static WsHub hub;
    private static JsonNode doc;

    @BeforeAll
    static void start() {
        // History rules, so the documented /api/history routes have streams to answer for.
        hub = TestHub.start(cfg -> cfg.history(HistoryRule.tags("*", 10, Duration.ofMinutes(1)), HistoryRule.users(10, Duration.ofMinutes(1))));
        ApiClient.Answer answer = ApiClient.of(hub).get("/api/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        doc = answer.json();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void isAnOpenApi3DocumentWhoseReferencesResolve() {
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("info").path("title").asText()).isNotEmpty();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
        }
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            assertThat(METHODS).as("%s %s", op.getKey(), path.getKey()).contains(op.getKey());
            assertThat(op.getValue().path("responses").size()).as("responses of %s %s", op.getKey(), path.getKey()).isPositive();
            for (String name : pathParams(path.getKey())) {
                assertThat(declaredPathParams(op.getValue())).as("{%s} of %s %s declared", name, op.getKey(), path.getKey()).contains(name);
            }
        }));
    }

    @Test
    void everyRouteTheHubServesIsDocumented() {
        List<String> served = ((RealHub) hub).httpRoutes().stream().filter(r -> !r.endsWith("*")).toList();
        assertThat(served).contains("GET /api/stats", "GET /healthz"); // the list is real, not empty
        Set<String> documented = documentedRoutes();
        for (String route : served) {
            assertThat(documented).as("documented routes").contains(shape(route));
        }
    }

    @Test
    void everyDocumentedRouteAnswersWithAKey() {
        ApiClient api = ApiClient.of(hub);
        for (String route : documentedRoutes()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{}", "x");
            ApiClient.Answer answer = api.call(method, path, method.equals("GET") ? null : "{\"event\":\"openapi-test\"}");
            assertThat(answer.status()).as(route).isNotIn(404, 405).isLessThan(500);
        }
    }

    /** {@code "GET /api/clients/{}/kick"}: the method and the path with its parameter names left out. */
    private static Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> routes.add(shape(method.toUpperCase() + " " + path.getKey()))));
        assertThat(routes).hasSizeGreaterThan(5);
        return routes;
    }

    private static String shape(String route) {
        return route.replaceAll("\\{[^}]*}", "{}");
    }

    private static List<String> pathParams(String path) {
        List<String> names = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<String> declaredPathParams(JsonNode operation) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : operation.path("parameters")) {
            JsonNode param = p.has("$ref") ? doc.at(p.path("$ref").asText().substring(1)) : p;
            if (param.path("in").asText().equals("path")) {
                names.add(param.path("name").asText());
            }
        }
        return names;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
