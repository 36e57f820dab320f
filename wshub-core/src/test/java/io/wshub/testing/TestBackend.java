package io.wshub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP backend on 127.0.0.1 and a free port (the JDK's HTTP server), recording every
 * request; each path answers through a {@link Responder} the test sets. Unknown paths get 404.
 */
public final class TestBackend implements AutoCloseable {

    /** One request as the backend saw it. */
    public record Request(String path, Map<String, String> headers, byte[] body) {
        public JsonNode json() {
            try {
                return TestClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** An answer: HTTP status and body. */
    public record Answer(int status, String body) {
        public static Answer json(String body) {
            return new Answer(200, body);
        }
    }

    @FunctionalInterface
    public interface Responder {
        Answer answer(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public TestBackend() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public TestBackend on(String path, Responder responder) {
        responders.put(path, responder);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> headers = new ConcurrentHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            Request req = new Request(ex.getRequestURI().getPath(), headers, ex.getRequestBody().readAllBytes());
            requests.add(req);
            Responder r = responders.get(req.path());
            Answer a;
            try {
                a = r == null ? new Answer(404, "{}") : r.answer(req);
            } catch (Exception e) {
                a = new Answer(500, "{\"error\":\"" + e + "\"}");
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
