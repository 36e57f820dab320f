package io.wshub.client.internal;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Writes frames to one JDK WebSocket one at a time: {@code WebSocket.sendText} refuses a
 * second send while one is outstanding, so later frames wait here, bounded in bytes.
 *
 * <p>Only touched on the client thread (completions hop back onto it).
 */
final class Outbox {
    private final WebSocket socket;
    private final Executor clientThread;
    private final long limitChars;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private long waitingChars;
    private boolean writing;
    private boolean failed;

    Outbox(WebSocket socket, Executor clientThread, int limitBytes) {
        this.socket = socket;
        this.clientThread = clientThread;
        this.limitChars = limitBytes;
    }

    /** Queues one text frame; false when the buffer is full or the socket failed. */
    boolean send(String text) {
        if (failed) {
            return false;
        }
        if (!writing) {
            write(text);
            return true;
        }
        if (waitingChars + text.length() > limitChars) {
            return false;
        }
        waiting.add(text);
        waitingChars += text.length();
        return true;
    }

    private void write(String text) {
        writing = true;
        socket.sendText(text, true).whenCompleteAsync((ws, error) -> {
            writing = false;
            if (error != null) {
                // The listener's onError/onClose reports the broken socket; drop the rest.
                failed = true;
                waiting.clear();
                waitingChars = 0;
                return;
            }
            String next = waiting.poll();
            if (next != null) {
                waitingChars -= next.length();
                write(next);
            }
        }, clientThread);
    }
}
