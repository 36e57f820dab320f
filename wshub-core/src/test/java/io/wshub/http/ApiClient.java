package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshub.WsHub;
import io.wshub.testing.TestHub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real HTTP client for a hub's API: sends the test key unless told otherwise, parses JSON answers. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer: the status, the body as text and, when it is JSON, as a tree (else null). */
    record Answer(int status, String contentType, String text, JsonNode json) {
        JsonNode data() {
            return json.path("data");
        }

        String message() {
            return json.path("message").asText();
        }
    }

    private final WsHub hub;
    private final Map<String, String> headers;

    private ApiClient(WsHub hub, Map<String, String> headers) {
        this.hub = hub;
        this.headers = headers;
    }

    /** Sends {@code X-API-Key} with the test key. */
    static ApiClient of(WsHub hub) {
        return new ApiClient(hub, Map.of("X-API-Key", TestHub.API_KEY));
    }

    /** Sends exactly {@code headers} (none: an unauthenticated caller). */
    static ApiClient with(WsHub hub, Map<String, String> headers) {
        return new ApiClient(hub, new LinkedHashMap<>(headers));
    }

    Answer get(String path) {
        return call("GET", path, null);
    }

    Answer post(String path, Object body) {
        try {
            return call("POST", path, body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Answer call(String method, String path, String body) {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code GET target} over a plain socket, for request targets that {@link java.net.URI}
     * refuses (bad %-escapes); the connection closes after the answer.
     */
    Answer rawGet(String target) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", hub.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            socket.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            String type = raw.toLowerCase().contains("content-type: application/json") ? "application/json" : "";
            return new Answer(status, type, body, type.isEmpty() ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + target + " failed: " + e, e);
        }
    }

    Answer send(String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, body);
        headers.forEach(req::header);
        try {
            HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            String type = res.headers().firstValue("content-type").orElse("");
            JsonNode json = type.startsWith("application/json") ? JSON.readTree(res.body()) : null;
            return new Answer(res.statusCode(), type, res.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
