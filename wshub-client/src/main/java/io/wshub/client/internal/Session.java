package io.wshub.client.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * One connection attempt and, once open, its socket. Listener callbacks come on the HTTP
 * client's threads and hop onto the client thread; the client ignores callbacks of a session
 * that is no longer current, and a closed client drops them. Demand is one message at a time, requested again only after
 * the client thread handled the message, so a slow handler slows the server's writes instead
 * of piling messages up here.
 */
final class Session implements WebSocket.Listener {
    private final RealClient client;
    private final ClientThread clientThread;
    private final int maxMessageChars;
    /** Only touched by the JDK's listener thread (callbacks are serial per socket). */
    private final StringBuilder partial = new StringBuilder();

    // Client thread only:
    WebSocket socket;
    Outbox outbox;
    long openedAtNanos;
    long lastReceivedNanos;
    /** A binary message still arriving in parts. WebSocket listener thread only. */
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

    Session(RealClient client, ClientThread clientThread, int maxMessageChars) {
        this.client = client;
        this.clientThread = clientThread;
        this.maxMessageChars = maxMessageChars;
    }

    @Override
    public void onOpen(WebSocket ws) {
        clientThread.run(() -> client.opened(this, ws));
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        if (partial.length() + data.length() > maxMessageChars) {
            partial.setLength(0);
            ws.abort();
            clientThread.run(() -> client.closed(this, 1009, "message over " + maxMessageChars + " chars"));
            return null;
        }
        if (!last) {
            partial.append(data);
            ws.request(1);
            return null;
        }
        String text;
        if (partial.length() == 0) {
            text = data.toString();
        } else {
            text = partial.append(data).toString();
            partial.setLength(0);
        }
        clientThread.run(() -> {
            client.received(this, text);
            ws.request(1);
        });
        return null;
    }

    /** Binary frames carry the same JSON (wsrv pushes in binary frames by default, docs/wsrv.md). */
    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        if (binary.size() + data.remaining() > maxMessageChars) {
            binary.reset();
            ws.abort();
            clientThread.run(() -> client.closed(this, 1009, "message over " + maxMessageChars + " bytes"));
            return null;
        }
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.write(chunk, 0, chunk.length);
        if (!last) {
            ws.request(1);
            return null;
        }
        String text = binary.toString(java.nio.charset.StandardCharsets.UTF_8);
        binary.reset();
        clientThread.run(() -> {
            client.received(this, text);
            ws.request(1);
        });
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        clientThread.run(() -> client.alive(this));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        // Returning null completes the close at once: the JDK echoes the close frame.
        clientThread.run(() -> client.closed(this, code, reason));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        clientThread.run(() -> client.closed(this, 1006, String.valueOf(error.getMessage())));
    }
}
