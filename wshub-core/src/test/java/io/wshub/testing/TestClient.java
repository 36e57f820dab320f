package io.wshub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A recording WebSocket client on the JDK's {@link java.net.http.WebSocket}: every text message
 * is queued as JSON, the close code is kept, and reading can be paused to play a slow consumer.
 */
public final class TestClient implements WebSocket.Listener, AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private volatile String closeReason;
    private WebSocket ws;

    private TestClient() {}

    public static TestClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /** Connects or throws the handshake failure (see {@link #connectFailure}). */
    public static TestClient connect(URI uri, Map<String, String> headers) {
        return connect(HTTP, uri, headers);
    }

    /** Connects through {@code http} (a client with its own TLS trust, say). */
    public static TestClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        TestClient client = new TestClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS));
        headers.forEach(builder::header);
        try {
            client.ws = builder.buildAsync(uri, client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("connect failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("connect failed: " + e, e);
        }
        return client;
    }

    /** The HTTP status that refused a connection attempt. */
    public static int connectFailure(URI uri, Map<String, String> headers) {
        try {
            connect(uri, headers).close();
            return 101;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    // ---- sending -------------------------------------------------------------------------

    public TestClient send(String text) {
        ws.sendText(text, true).join();
        return this;
    }

    public TestClient send(String event, Object data, String seqno) {
        Map<String, Object> msg = new java.util.LinkedHashMap<>();
        msg.put("event", event);
        msg.put("data", data);
        if (seqno != null) {
            msg.put("seqno", seqno);
        }
        try {
            return send(JSON.writeValueAsString(msg));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sends a request and returns the next message, which must carry the same seqno. */
    public JsonNode request(String event, Object data) {
        String seqno = Long.toString(System.nanoTime());
        send(event, data, seqno);
        JsonNode reply = next();
        assertThat(reply.path("seqno").asText()).as("reply to %s: %s", event, reply).isEqualTo(seqno);
        return reply;
    }

    public void ping() {
        ws.sendPing(ByteBuffer.allocate(0)).join();
    }

    // ---- receiving -----------------------------------------------------------------------

    /** The next message, waiting up to 10 s. */
    public JsonNode next() {
        try {
            String text = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (text == null) {
                fail("no message within " + WAIT_SECONDS + " s");
            }
            return JSON.readTree(text);
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message within {@code millis}, or null. */
    public JsonNode poll(long millis) {
        try {
            String text = messages.poll(millis, TimeUnit.MILLISECONDS);
            return text == null ? null : JSON.readTree(text);
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message, which must have {@code event}. */
    public JsonNode next(String event) {
        JsonNode msg = next();
        assertThat(msg.path("event").asText()).as("message %s", msg).isEqualTo(event);
        return msg;
    }

    /** The next message with {@code event}, skipping others (probes, sends that may or may not have arrived). */
    public JsonNode nextOf(String event) {
        while (true) {
            JsonNode msg = next();
            if (msg.path("event").asText().equals(event)) {
                return msg;
            }
        }
    }

    /** Asserts nothing arrives within {@code millis}. */
    public void assertNoMessage(long millis) {
        try {
            String text = messages.poll(millis, TimeUnit.MILLISECONDS);
            assertThat(text).as("unexpected message").isNull();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the {@code connected} event and returns the client id. */
    public String connectedId() {
        return next("connected").path("data").path("id").asText();
    }

    /** The close code the server sent, waiting up to {@code seconds}. */
    public int awaitClose(long seconds) {
        try {
            return closed.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("not closed within " + seconds + " s", e);
        }
    }

    public int awaitClose() {
        return awaitClose(WAIT_SECONDS);
    }

    /** Messages received and not yet taken. */
    public int pending() {
        return messages.size();
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Stops reading from the socket, so the server's writes pile up. */
    public void pause() {
        paused = true;
    }

    public void abort() {
        ws.abort();
    }

    /** A normal close: sends 1000 and waits briefly for the server's answer before dropping the socket. */
    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            if (!paused) {
                try {
                    closed.get(2, TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    // fall through to abort
                }
            }
        }
        ws.abort();
    }

    // ---- WebSocket.Listener --------------------------------------------------------------

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }
}
