package io.wshub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.FrameType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A recording client that keeps each message's frame type, for clients that care which one
 * they get (wsrv answers in the request's type and pushes binary; the raw codec carries both).
 */
public final class FrameClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 10;

    /** One received message. */
    public record Frame(FrameType type, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return TestClient.JSON.readTree(payload);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private WebSocket ws;

    private FrameClient() {}

    public static FrameClient connect(URI uri) {
        FrameClient client = new FrameClient();
        try {
            client.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS))
                    .buildAsync(uri, client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("connect failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("connect failed: " + e, e);
        }
        return client;
    }

    public FrameClient sendText(String text) {
        ws.sendText(text, true).join();
        return this;
    }

    public FrameClient sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    public FrameClient sendBinary(String utf8) {
        return sendBinary(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** The next message, waiting up to 10 s. */
    public Frame next() {
        try {
            Frame f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (f == null) {
                fail("no message within " + WAIT_SECONDS + " s");
            }
            return f;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message, which must come in a {@code type} frame; as JSON. */
    public JsonNode next(FrameType type) {
        Frame f = next();
        assertThat(f.type()).as("frame type of %s", f.text()).isEqualTo(type);
        return f.json();
    }

    /** Nothing is waiting (call after a barrier: a request whose answer was taken). */
    public void assertExhausted() {
        assertThat(frames).as("unexpected messages").isEmpty();
    }

    public int awaitClose(long seconds) {
        try {
            return closed.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("not closed within " + seconds + " s", e);
        }
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                // fall through to abort
            }
        }
        ws.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        return collect(FrameType.TEXT, data.toString().getBytes(StandardCharsets.UTF_8), last, webSocket);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return collect(FrameType.BINARY, bytes, last, webSocket);
    }

    private CompletionStage<?> collect(FrameType type, byte[] bytes, boolean last, WebSocket webSocket) {
        partial.writeBytes(bytes);
        if (last) {
            frames.add(new Frame(type, partial.toByteArray()));
            partial.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }
}
