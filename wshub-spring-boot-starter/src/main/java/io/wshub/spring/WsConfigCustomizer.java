package io.wshub.spring;

import io.wshub.WsConfig;

/**
 * A bean that adjusts the hub's configuration after the {@code wshub.*} properties were
 * applied: for what properties cannot say (a custom codec, broker, presence, HTTP routes).
 * Customizers run in {@code @Order} order.
 */
@FunctionalInterface
public interface WsConfigCustomizer {
    void customize(WsConfig config);
}
