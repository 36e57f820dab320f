package io.wshub.server;

import io.wshub.Limits;
import io.wshub.auth.JwtAuth;

import java.time.Duration;

/** The protection settings (docs/limits.md) from {@link Settings} onto the hub's limits and the token verifier. */
final class LimitSettings {
    private LimitSettings() {}

    static void apply(Limits limits, Settings s) {
        if (s.maxTagsPerConnection != null) limits.maxTagsPerConnection(s.maxTagsPerConnection);
        if (s.maxConnectionsPerIp != null) limits.maxConnectionsPerIp(s.maxConnectionsPerIp);
        if (s.maxConnectionsPerUser != null) limits.maxConnectionsPerUser(s.maxConnectionsPerUser);
        if (s.handshakesPerSecondPerIp != null) limits.handshakesPerSecondPerIp(s.handshakesPerSecondPerIp);
        if (s.handshakeTimeout != null) limits.handshakeTimeout(Duration.ofSeconds(s.handshakeTimeout));
    }

    static void apply(JwtAuth auth, Settings s) {
        if (s.requireExp != null) auth.requireExp(s.requireExp);
        if (s.clockSkew != null) auth.clockSkew(Duration.ofSeconds(s.clockSkew));
    }
}
