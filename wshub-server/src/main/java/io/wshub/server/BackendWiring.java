package io.wshub.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.wshub.JoinPolicy;
import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.proxy.Backend;
import io.wshub.proxy.ConnectProxy;
import io.wshub.proxy.EventProxy;
import io.wshub.proxy.JoinProxy;
import io.wshub.proxy.ProxyRoute;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backend integration of the standalone server (docs/backend.md) from {@link Settings}:
 * one signed {@link Backend} client shared by the event, connect and join proxies.
 */
final class BackendWiring {
    /** Enough for a busy node, small enough that a stuck backend cannot pile up unbounded work. */
    static final int DEFAULT_MAX_IN_FLIGHT = 1000;

    private final Settings s;
    private final Backend backend;
    private final Duration timeout;

    BackendWiring(Settings s, MeterRegistry meters) {
        this.s = s;
        this.timeout = s.proxyTimeoutMs == null ? ProxyRoute.DEFAULT_TIMEOUT : Duration.ofMillis(s.proxyTimeoutMs);
        this.backend = new Backend(s.backendSecret, s.proxyMaxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : s.proxyMaxInFlight, meters);
    }

    /** The parts that live in the config: the connect proxy and the join policy. */
    void configure(WsConfig cfg) {
        if (s.connectUrl != null) {
            cfg.connectGate(new ConnectProxy(URI.create(s.connectUrl), timeout,
                    s.connectHeaders == null ? List.of() : s.connectHeaders, backend));
        }
        cfg.joinPolicy(joinPolicy().withPublic(s.publicTags == null ? List.of() : s.publicTags));
    }

    private JoinPolicy joinPolicy() {
        String name = s.joinPolicy == null ? "open" : s.joinPolicy.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "open" -> JoinPolicy.open();
            case "token" -> JoinPolicy.tokenClaim(s.joinClaim == null ? "tags" : s.joinClaim);
            case "proxy" -> {
                if (s.joinUrl == null) {
                    throw new IllegalArgumentException("--join-policy proxy needs --join-url");
                }
                yield new JoinProxy(URI.create(s.joinUrl), timeout,
                        Duration.ofSeconds(s.joinCache == null ? 0 : s.joinCache), backend);
            }
            default -> throw new IllegalArgumentException("--join-policy must be open, token or proxy, not '" + s.joinPolicy + "'");
        };
    }

    /** The parts that need the hub: the event proxy and auto-joins from a token claim. */
    void attach(WsHub hub) {
        List<ProxyRoute> routes = new ArrayList<>();
        if (s.proxyEvents != null) {
            for (ProxyEventSetting e : s.proxyEvents) {
                routes.add(new ProxyRoute(e.match(), e.url(), e.timeoutMs() == null ? timeout : Duration.ofMillis(e.timeoutMs())));
            }
        }
        if (s.proxyUrl != null) {
            routes.add(new ProxyRoute("*", s.proxyUrl, timeout));
        }
        if (!routes.isEmpty()) {
            hub.onUnhandled(new EventProxy(routes, backend));
        }
        if (s.autoJoinClaim != null) {
            hub.onConnect(conn -> io.wshub.join.ClaimTags.of(conn.claims().get(s.autoJoinClaim)).forEach(conn::join));
        }
    }
}
