package io.wshub.server;

import io.wshub.FrameType;
import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.auth.AuthMode;
import io.wshub.auth.Authenticator;
import io.wshub.auth.HmacTokens;
import io.wshub.auth.JwtAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server: a hub configured from {@link Settings}, the admin page, the JS
 * client, the optional demo, and a SIGTERM that drains and exits 0.
 */
public final class Server {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Lifetime of the sample token printed at start and of demo logins. */
    static final Duration DEV_TOKEN_TTL = Duration.ofHours(12);
    /** Where the development setup listens by default. */
    static final String LOCAL_ONLY = "127.0.0.1";

    private final WsHub hub;
    private final BackendWiring backends;
    private final String hmacSecret;
    private final boolean generatedSecret;
    private final List<String> apiKeys;
    private final boolean generatedKey;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final String host;
    /** The file the development secret and key come from; null once both are configured. */
    private final DevSecrets devSecrets;
    private final List<String> paths;
    private final boolean tls;
    private final Integer redirectPort;
    private HttpsRedirect redirect;

    private Server(Settings s) {
        paths = s.paths;
        tls = s.tlsCert != null;
        redirectPort = s.tlsRedirectPort;
        if (redirectPort != null && !tls) {
            throw new IllegalArgumentException("--tls-redirect-port needs --tls-cert and --tls-key");
        }
        generatedSecret = s.jwtSecret == null && s.jwtPublicKey == null && s.jwksUrl == null;
        generatedKey = s.apiKeys == null || s.apiKeys.isEmpty();
        devSecrets = generatedSecret || generatedKey
                ? DevSecrets.load(Path.of(s.devSecretsFile != null ? s.devSecretsFile : DevSecrets.DEFAULT_FILE)) : null;
        hmacSecret = generatedSecret ? devSecrets.jwtSecret() : s.jwtSecret;
        apiKeys = generatedKey ? List.of(devSecrets.apiKey()) : List.copyOf(s.apiKeys);
        // The development setup mints tokens for anyone (demo logins): keep it off the network
        // unless --host says otherwise.
        host = s.host != null ? s.host : generatedSecret ? LOCAL_ONLY : null;
        Authenticator auth = authenticator(s);
        AuthMode mode = s.auth != null ? AuthMode.valueOf(s.auth.toUpperCase(Locale.ROOT))
                : generatedSecret ? AuthMode.OPTIONAL : AuthMode.REQUIRED;
        // Demo logins mint a token for any name: on by default only for the development setup.
        boolean demo = s.demo != null ? s.demo : generatedSecret && mode != AuthMode.REQUIRED;
        if (demo && hmacSecret == null) {
            throw new IllegalArgumentException("--demo needs --jwt-secret: demo logins are HS256 tokens");
        }
        // One registry for the hub's meters and the backend client's (docs/backend.md "Metrics").
        var meters = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        backends = new BackendWiring(s, meters);
        hub = WsHub.create(cfg -> {
            configure(cfg, s, auth, mode);
            cfg.meterRegistry(meters);
            backends.configure(cfg);
            cfg.staticFiles("/admin", "wshub/static/admin");
            cfg.staticFiles("/client", "wshub/static/client");
            if (demo) {
                cfg.staticFiles("/demo", "wshub/static/demo");
                cfg.route("POST", "/demo/token", DemoLogin.route(hmacSecret));
            }
            ClusterEngines.install(cfg, s);
        });
        if (demo) {
            DemoChat.install(hub);
        }
        backends.attach(hub);
    }

    public static Server start(Settings settings) {
        Server server = new Server(settings);
        server.hub.start();
        if (server.redirectPort != null) {
            try {
                String bind = server.host != null ? server.host : "0.0.0.0"; // the hub's own default
                server.redirect = HttpsRedirect.start(bind, server.redirectPort, server.hub.port(), server.shownHost());
            } catch (RuntimeException e) {
                server.hub.close();
                throw e;
            }
        }
        server.trapSignals();
        return server;
    }

    private void configure(WsConfig cfg, Settings s, Authenticator auth, AuthMode mode) {
        cfg.auth(auth).authMode(mode).apiKeys(apiKeys);
        if (host != null) cfg.host(host);
        if (s.port != null) cfg.port(s.port);
        if (s.paths != null) cfg.paths(s.paths.toArray(String[]::new));
        if (s.codec != null) cfg.codec(s.codec);
        if (s.pushFrames != null) cfg.pushFrames(FrameType.named(s.pushFrames));
        if (s.hotgoSendPath != null) cfg.hotgoSendPath(s.hotgoSendPath);
        if (s.allowedOrigins != null) cfg.allowedOrigins(s.allowedOrigins);
        if (s.corsOrigins != null) cfg.corsOrigins(s.corsOrigins);
        if (s.nodeId != null) cfg.nodeId(s.nodeId);
        if (s.maxMessageBytes != null) cfg.maxMessageBytes(s.maxMessageBytes);
        if (s.outboundQueueBytes != null) cfg.outboundQueueBytes(s.outboundQueueBytes);
        if (s.pingInterval != null) cfg.pingInterval(Duration.ofSeconds(s.pingInterval));
        if (s.idleTimeout != null) cfg.idleTimeout(Duration.ofSeconds(s.idleTimeout));
        writeWindow(s, cfg);
        if (s.ioThreads != null) cfg.ioThreads(s.ioThreads);
        if (s.drainTimeout != null) cfg.drainTimeout(Duration.ofSeconds(s.drainTimeout));
        if (s.drainGrace != null) cfg.drainGrace(Duration.ofSeconds(s.drainGrace));
        if (s.tlsCert != null || s.tlsKey != null) cfg.tls(requiredPath(s.tlsCert, "--tls-cert"), requiredPath(s.tlsKey, "--tls-key"));
        if (s.rateLimit != null && s.rateLimit > 0) cfg.rateLimit(s.rateLimit, s.rateLimit * 2);
        if (s.compression != null) cfg.compression(s.compression);
        if (s.compressionThreshold != null) cfg.compressionThreshold(s.compressionThreshold);
        if (s.compressionClientContextTakeover != null) cfg.compressionClientContextTakeover(s.compressionClientContextTakeover);
        if (s.metrics != null) cfg.metrics(s.metrics);
        if (s.httpApi != null) cfg.httpApi(s.httpApi);
        if (s.connectedEvent != null) cfg.connectedEvent(s.connectedEvent);
        if (s.history != null) cfg.history(HistorySettings.rules(s.history));
        LimitSettings.apply(cfg.limits(), s);
    }

    /** A fixed window (--write-delay) or the automatic one's cap (--write-delay-max): one of them. */
    private static void writeWindow(Settings s, WsConfig cfg) {
        if (s.writeDelay != null && s.writeDelayMax != null) {
            throw new IllegalArgumentException("--write-delay (a fixed window) and --write-delay-max (the automatic window's cap) exclude each other");
        }
        if (s.writeDelay != null) cfg.writeDelay(Duration.ofMillis(s.writeDelay));
        if (s.writeDelayMax != null) cfg.autoWriteDelay(Duration.ofMillis(s.writeDelayMax));
    }

    private static Path requiredPath(String value, String flag) {
        if (value == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: " + flag + " is missing");
        }
        return Path.of(value);
    }

    private Authenticator authenticator(Settings s) {
        JwtAuth auth;
        if (s.jwksUrl != null) {
            auth = JwtAuth.jwks(s.jwksUrl);
        } else if (s.jwtPublicKey != null) {
            try {
                auth = JwtAuth.publicKey(Files.readString(Path.of(s.jwtPublicKey)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --jwt-public-key " + s.jwtPublicKey + ": " + e.getMessage());
            }
        } else {
            auth = JwtAuth.hmac(hmacSecret);
        }
        LimitSettings.apply(auth, s);
        return s.userIdClaim == null ? auth : auth.userIdClaim(s.userIdClaim);
    }

    /** The line scripts wait for: {@code wshub listening on <url> ws=<paths> apiKey=<key> [sampleToken=<jwt>] [secrets=<file>]}. */
    public String readyLine() {
        String shown = shownHost();
        StringBuilder line = new StringBuilder("wshub listening on ").append(tls ? "https://" : "http://").append(shown).append(':').append(hub.port())
                .append(" ws=").append(paths == null ? "/ws" : String.join(",", paths))
                .append(" apiKey=").append(generatedKey ? apiKeys.get(0) : "(configured)");
        if (generatedSecret) {
            line.append(" sampleToken=").append(HmacTokens.issue(hmacSecret, "demo", DEV_TOKEN_TTL));
        }
        if (devSecrets != null) {
            line.append(" secrets=").append(devSecrets.file());
        }
        if (redirect != null) {
            line.append(" httpRedirectPort=").append(redirect.port());
        }
        return line.toString();
    }

    /** The host a local user types: the bind address, or 127.0.0.1 for a wildcard bind. */
    private String shownHost() {
        return host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** The plain-HTTP redirect port's real number (for port 0), or -1 without one. */
    int redirectPort() {
        return redirect == null ? -1 : redirect.port();
    }

    public WsHub hub() {
        return hub;
    }

    /** SIGTERM and SIGINT start the drain; the main thread then closes and exits 0. */
    private void trapSignals() {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), sig -> stop.countDown());
            } catch (IllegalArgumentException e) {
                log.debug("cannot trap SIG{}: {}", name, e.getMessage());
            }
        }
    }

    public void awaitShutdown() throws InterruptedException {
        stop.await();
        if (redirect != null) {
            redirect.close();
        }
        hub.close(); // logs the drain and the stop
        backends.close();
    }

    public void stop() {
        stop.countDown();
    }

    static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
