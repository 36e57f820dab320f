package io.wshub.spring;

import io.wshub.WsHub;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator's {@code wshub} health component: UP while the hub accepts connections (the same
 * rule as the hub's own {@code /healthz}), with its port and node id.
 */
public final class WsHubHealthIndicator implements HealthIndicator {
    private final WsHub hub;

    public WsHubHealthIndicator(WsHub hub) {
        this.hub = hub;
    }

    @Override
    public Health health() {
        Health.Builder health = hub.isAccepting() ? Health.up() : Health.down();
        return health.withDetail("port", hub.port()).withDetail("nodeId", hub.nodeId()).build();
    }
}
