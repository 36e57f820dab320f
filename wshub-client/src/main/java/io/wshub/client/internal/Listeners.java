package io.wshub.client.internal;

import io.wshub.client.Registration;
import io.wshub.client.ServerMessage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Handlers by event plus the lifecycle listeners. Added and removed from any thread; called
 * on the client thread. A throwing handler does not stop the others: its exception goes to
 * the error listeners.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger("io.wshub.client");

    private final Map<String, List<Consumer<ServerMessage>>> byEvent = new ConcurrentHashMap<>();
    final List<Consumer<Integer>> open = new CopyOnWriteArrayList<>();
    final List<Consumer<io.wshub.client.CloseInfo>> close = new CopyOnWriteArrayList<>();
    final List<Consumer<String>> kick = new CopyOnWriteArrayList<>();
    final List<Consumer<Throwable>> error = new CopyOnWriteArrayList<>();

    Registration on(String event, Consumer<ServerMessage> handler) {
        return add(byEvent.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()), handler);
    }

    static <T> Registration add(List<T> list, T listener) {
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** False when nobody handles {@code msg.event()}. */
    boolean dispatch(ServerMessage msg) {
        List<Consumer<ServerMessage>> handlers = byEvent.get(msg.event());
        if (handlers == null || handlers.isEmpty()) {
            return false;
        }
        for (Consumer<ServerMessage> h : handlers) {
            call(h, msg);
        }
        return true;
    }

    <T> void fire(List<Consumer<T>> list, T value) {
        for (Consumer<T> l : list) {
            call(l, value);
        }
    }

    void error(Throwable t) {
        if (error.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "wshub client: {0}", t.toString());
            return;
        }
        for (Consumer<Throwable> l : error) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "wshub client: error listener threw", e);
            }
        }
    }

    private <T> void call(Consumer<T> listener, T value) {
        try {
            listener.accept(value);
        } catch (RuntimeException e) {
            error(e);
        }
    }
}
