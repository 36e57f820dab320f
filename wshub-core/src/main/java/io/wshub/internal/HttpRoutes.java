package io.wshub.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wshub.WsConfig;
import io.wshub.http.HttpApi;
import io.wshub.http.HttpReply;

import java.util.Map;

/** Everything the hub's port serves besides WebSocket upgrades. */
final class HttpRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private HttpRoutes() {}

    static void register(RealHub hub) {
        HttpRouter http = hub.http;
        http.add("GET", "/healthz", call -> (hub.isAccepting() && !hub.draining()
                ? HttpReply.ok(Map.of("status", "ok", "node", hub.nodeId()))
                : HttpReply.error(503, "draining")).done());
        if (hub.config.metrics() && hub.meterRegistry() instanceof PrometheusMeterRegistry prometheus) {
            http.add("GET", "/metrics", call -> HttpReply.text(200, PROMETHEUS_TEXT, prometheus.scrape()).done());
        }
        if (hub.config.httpApi()) {
            HttpApi.routes(hub, hub.config.apiKeys(), hub.config.hotgoSendPath()).forEach(r -> http.add(r.method(), r.path(), r.handler()));
        }
        for (WsConfig.Route r : hub.config.routes()) {
            http.add(r.method(), r.path(), r.handler());
        }
        for (WsConfig.StaticMount m : hub.config.staticMounts()) {
            StaticFiles files = new StaticFiles(m.resourceDir());
            http.add("GET", m.prefix(), files);
            http.add("GET", m.prefix() + "/*", files);
        }
    }
}
