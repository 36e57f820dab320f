package io.wshub.routing;

import io.wshub.Context;
import io.wshub.Handler;
import io.wshub.Middleware;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Handlers by event name and the middleware chain around them. Registration may happen at any
 * time from any thread; lookups never lock.
 */
public final class Router {

    /** A registered handler and whether it may block (and so runs on the worker pool). */
    public record Route(Handler handler, boolean blocking) {}

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Middleware> middleware = new CopyOnWriteArrayList<>();
    /** Serves events no handler is registered for (the event proxy, docs/backend.md); null = 404. */
    private volatile Route fallback;

    /** Registers (or replaces) the handler of an event. */
    public void on(String event, Handler handler, boolean blocking) {
        if (event == null || event.isEmpty()) {
            throw new IllegalArgumentException("event name must not be empty");
        }
        routes.put(event, new Route(handler, blocking));
    }

    public void use(Middleware m) {
        middleware.add(m);
    }

    /** Sets the handler of every event that has none of its own; null restores 404. */
    public void fallback(Handler handler, boolean blocking) {
        this.fallback = handler == null ? null : new Route(handler, blocking);
    }

    /** The route of an event, else the fallback, or null. */
    public Route route(String event) {
        Route route = routes.get(event);
        return route != null ? route : fallback;
    }

    /** Events that have a handler (a live view). */
    public Set<String> events() {
        return routes.keySet();
    }

    /**
     * Runs the middleware chain, then {@code route}'s handler (none when {@code route} is null:
     * the codec decides what an unknown event gets, see {@code Codec#unanswered}).
     *
     * @return whether every middleware let the message through
     */
    public boolean dispatch(Context ctx, Route route) throws Exception {
        Chain chain = new Chain(ctx, route);
        chain.proceed(0);
        return chain.passed;
    }

    private final class Chain {
        private final Context ctx;
        private final Route route;
        /** Set when the chain reached its end. */
        private boolean passed;

        Chain(Context ctx, Route route) {
            this.ctx = ctx;
            this.route = route;
        }

        void proceed(int index) throws Exception {
            if (index < middleware.size()) {
                middleware.get(index).handle(ctx, () -> proceed(index + 1));
            } else {
                passed = true;
                if (route != null) {
                    route.handler().handle(ctx);
                }
            }
        }
    }
}
