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
import io.wshub.cluster.MemoryOnlineUsers;
import io.wshub.cluster.OnlineUsers;
import io.wshub.join.ClaimTags;
import io.wshub.redis.RedisCluster;
import io.wshub.redis.RedisOnlineUsers;
import io.wshub.webhook.WebhookOptions;
import io.wshub.webhook.Webhooks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The backend integration of the standalone server (docs/backend.md) from {@link Settings}:
 * one signed {@link Backend} client shared by the event, connect and join proxies.
 */
final class BackendWiring implements AutoCloseable {
    /** Enough for a busy node, small enough that a stuck backend cannot pile up unbounded work. */
    static final int DEFAULT_MAX_IN_FLIGHT = 1000;

    private final Settings s;
    private final Backend backend;
    private final Duration timeout;
    private final MeterRegistry meters;
    private Webhooks webhooks;

    BackendWiring(Settings s, MeterRegistry meters) {
        this.s = s;
        this.meters = meters;
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

    /** The parts that need the hub: the event proxy, auto-joins from a token claim, webhooks. */
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
            hub.onConnect(conn -> ClaimTags.of(conn.claims().get(s.autoJoinClaim)).forEach(conn::join));
        }
        if (s.webhookUrl != null) {
            WebhookOptions options = WebhookOptions.of(s.webhookUrl)
                    .withTypes(s.webhookEvents == null ? Set.of() : Set.copyOf(s.webhookEvents))
                    .withGrace(s.offlineGrace == null ? WebhookOptions.DEFAULT_GRACE : Duration.ofSeconds(s.offlineGrace));
            // Cluster-wide online/offline needs a store every node shares: the first Redis (with
            // several shards every node lists them in the same order); one node keeps it in memory.
            if (Boolean.TRUE.equals(s.redisCluster)) {
                throw new IllegalArgumentException("--webhook-url keeps online users in one Redis; it does not work with --redis-cluster yet");
            }
            OnlineUsers online = s.redisUrl != null && !s.redisUrl.isEmpty()
                    ? new RedisOnlineUsers(s.redisUrl.get(0), RedisCluster.Options.DEFAULTS) : new MemoryOnlineUsers();
            webhooks = new Webhooks(options, backend, online, meters).attach(hub);
        }
    }

    /** After the hub closed: stops the webhook timers. */
    @Override
    public void close() {
        if (webhooks != null) {
            webhooks.close();
        }
    }
}
