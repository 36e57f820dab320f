package io.wshub.spring;

import io.wshub.WsConfig;
import io.wshub.auth.AuthMode;
import io.wshub.auth.Authenticator;
import io.wshub.auth.JwtAuth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Applies {@link WsHubProperties} to a {@link WsConfig}, the way the standalone server applies its settings. */
final class PropertiesConfig {
    private PropertiesConfig() {}

    static void apply(WsHubProperties p, WsConfig cfg) {
        cfg.host(p.getHost()).port(p.getPort()).paths(p.getPaths().toArray(String[]::new)).codec(p.getCodec())
                .allowedOrigins(p.getAllowedOrigins()).apiKeys(p.getApiKeys())
                .metrics(p.isMetrics()).httpApi(p.isHttpApi()).connectedEvent(p.isConnectedEvent());
        if (p.getAuth() != null) cfg.authMode(AuthMode.valueOf(p.getAuth().trim().toUpperCase(Locale.ROOT)));
        if (p.getNodeId() != null) cfg.nodeId(p.getNodeId());
        if (p.getMaxMessageBytes() != null) cfg.maxMessageBytes(p.getMaxMessageBytes());
        if (p.getOutboundQueueBytes() != null) cfg.outboundQueueBytes(p.getOutboundQueueBytes());
        if (p.getPingInterval() != null) cfg.pingInterval(p.getPingInterval());
        if (p.getIdleTimeout() != null) cfg.idleTimeout(p.getIdleTimeout());
        if (p.getDrainTimeout() != null) cfg.drainTimeout(p.getDrainTimeout());
        if (p.getRateLimit() > 0) cfg.rateLimit(p.getRateLimit(), p.getRateLimit() * 2);
        if (p.getWorkerThreads() != null) cfg.workerThreads(p.getWorkerThreads());
        if (p.getIoThreads() != null) cfg.ioThreads(p.getIoThreads());
    }

    /** The verifier the {@code jwt-*} / {@code jwks-url} keys describe, or null when none is set. */
    static Authenticator authenticator(WsHubProperties p) {
        JwtAuth auth;
        if (p.getJwksUrl() != null) {
            auth = JwtAuth.jwks(p.getJwksUrl());
        } else if (p.getJwtPublicKey() != null) {
            try {
                auth = JwtAuth.publicKey(Files.readString(Path.of(p.getJwtPublicKey())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read wshub.jwt-public-key " + p.getJwtPublicKey(), e);
            }
        } else if (p.getJwtSecret() != null) {
            auth = JwtAuth.hmac(p.getJwtSecret());
        } else {
            return null;
        }
        return p.getUserIdClaim() == null ? auth : auth.userIdClaim(p.getUserIdClaim());
    }
}
