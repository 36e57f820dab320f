package io.wshub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The HTTP client of every backend call (docs/backend.md): JSON POSTs, signed with
 * {@link Signer}, over the JDK's non-blocking client and its HTTP/1.1 keep-alive pool.
 * Nothing here blocks the caller: answers complete on the client's threads.
 *
 * <p>At most {@code maxInFlight} calls run at once; past it a call fails at once with 429.
 * A call fails with 504 past its timeout, and with 502 when the backend cannot be reached,
 * answers a non-2xx status or a body that is not a JSON object. Failures are logged once
 * per episode and URL (WARN when it starts, INFO when the backend answers again), never
 * once per request. Thread-safe.
 */
public final class Backend {
    static final Logger log = LoggerFactory.getLogger("io.wshub.backend");
    static final ObjectMapper JSON = new ObjectMapper();
    /** A backend that cannot be reached in this long is down; the route timeout bounds the rest. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final Signer signer;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BackendMetrics metrics;
    /** URLs in a failure episode: logged when they enter, again when they leave. */
    private final Set<URI> failing = ConcurrentHashMap.newKeySet();

    /**
     * @param secret      signs every request (null = unsigned)
     * @param maxInFlight calls allowed at once over all routes, at least 1
     * @param registry    where {@code wshub_backend_requests_seconds} goes (null = nowhere)
     */
    public Backend(String secret, int maxInFlight, MeterRegistry registry) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.signer = new Signer(secret);
        this.maxInFlight = maxInFlight;
        this.metrics = new BackendMetrics(registry);
    }

    /** Calls running now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * POSTs {@code body} (JSON) to {@code url}.
     *
     * @param kind  {@code event}, {@code connect}, {@code join} or {@code webhook}: a metrics label
     * @param route the configured route's name: a metrics label
     * @param shape what a well-formed answer looks like; any other is garbage (502); null
     *              takes any 2xx answer, whatever its body (webhooks)
     * @return the answer, a JSON object (NullNode for {@code shape} null); fails with {@link BackendException}
     */
    public CompletableFuture<JsonNode> post(String kind, String route, URI url, Duration timeout, byte[] body,
                                            Predicate<JsonNode> shape) {
        long start = System.nanoTime();
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            metrics.record(kind, route, "overloaded", 0);
            return CompletableFuture.failedFuture(new BackendException(429, "too many backend requests in flight"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signer.enabled()) {
            long now = System.currentTimeMillis() / 1000;
            request.header(Signer.TIMESTAMP_HEADER, Long.toString(now)).header(Signer.SIGNATURE_HEADER, signer.sign(now, body));
        }
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) { // e.g. a URL the client cannot use
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((response, failure) -> {
            inFlight.decrementAndGet();
            try {
                JsonNode answer = answer(url, response, failure, shape);
                recovered(url);
                metrics.record(kind, route, "ok", System.nanoTime() - start);
                return answer;
            } catch (BackendException e) {
                metrics.record(kind, route, outcome(e.code()), System.nanoTime() - start);
                throw e;
            }
        });
    }

    private JsonNode answer(URI url, HttpResponse<byte[]> response, Throwable failure, Predicate<JsonNode> shape) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof HttpTimeoutException) {
                // A slow answer is not an outage: the client hears 504, the log stays quiet.
                throw new BackendException(504, "backend timeout");
            }
            throw failed(url, "unreachable: " + cause, 502, "backend unavailable");
        }
        if (response.statusCode() / 100 != 2) {
            throw failed(url, "answered HTTP " + response.statusCode(), 502, "backend error");
        }
        if (shape == null) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(response.body());
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject() || !shape.test(tree)) {
            throw failed(url, "answered something that is not a well-formed JSON object", 502, "bad backend answer");
        }
        return tree;
    }

    private BackendException failed(URI url, String why, int code, String clientMessage) {
        if (failing.add(url)) {
            log.warn("backend {} {}; further failures are not logged until it answers again", url, why);
        }
        return new BackendException(code, clientMessage);
    }

    private void recovered(URI url) {
        if (!failing.isEmpty() && failing.remove(url)) {
            log.info("backend {} answers again", url);
        }
    }

    private static String outcome(int code) {
        return switch (code) {
            case 429 -> "overloaded";
            case 504 -> "timeout";
            default -> "failed";
        };
    }
}
