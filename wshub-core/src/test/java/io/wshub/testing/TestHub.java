package io.wshub.testing;

import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.auth.HmacTokens;
import io.wshub.auth.JwtAuth;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/** Real hubs on 127.0.0.1 and a free port, with a known secret and API key. */
public final class TestHub {
    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";
    public static final String API_KEY = "test-api-key";

    private TestHub() {}

    /** A started hub in optional auth mode, customised by {@code more}. */
    public static WsHub start(Consumer<WsConfig> more) {
        return configure(more).start();
    }

    /** A hub not yet started (to register handlers first). */
    public static WsHub configure(Consumer<WsConfig> more) {
        return WsHub.create(cfg -> {
            cfg.host("127.0.0.1").port(0).auth(JwtAuth.hmac(SECRET)).authMode(io.wshub.auth.AuthMode.OPTIONAL)
                    .apiKey(API_KEY).drainTimeout(Duration.ofSeconds(2)).workerThreads(4);
            more.accept(cfg);
        });
    }

    public static String token(String user) {
        return HmacTokens.issue(SECRET, user, Duration.ofHours(1));
    }

    public static URI ws(WsHub hub) {
        return URI.create("ws://127.0.0.1:" + hub.port() + "/ws");
    }

    public static URI ws(WsHub hub, String user) {
        return URI.create("ws://127.0.0.1:" + hub.port() + "/ws?token=" + token(user));
    }

    public static URI http(WsHub hub, String path) {
        return URI.create("http://127.0.0.1:" + hub.port() + path);
    }
}
