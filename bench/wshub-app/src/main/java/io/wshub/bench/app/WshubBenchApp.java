package io.wshub.bench.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.auth.JwtAuth;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * wshub embedded the way an application would: default config, HS256 auth required, the HTTP
 * API on, and two handlers for the bench protocol. {@code echo} answers with the request's
 * data; {@code broadcast} sends the payload to a tag with {@link WsHub#sendToTag} (wshub
 * encodes it once for all members) and answers with the number delivered.
 * Env: PORT, HOST (127.0.0.1), JWT_SECRET, API_KEY, and for experiments WRITE_DELAY_MS (a
 * fixed write window in ms, 0 = never hold; default: the hub's automatic one), WRITE_DELAY_MAX_MS
 * (the automatic window's cap; default the hub's) and IO_THREADS (default: one per usable CPU).
 */
public final class WshubBenchApp {
    private WshubBenchApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "0"));
        String secret = env.getOrDefault("JWT_SECRET", "wshub-bench-secret-0123456789abcdef");
        String apiKey = env.getOrDefault("API_KEY", "bench-key");
        WsHub hub = WsHub.create(cfg -> {
            if (env.containsKey("WRITE_DELAY_MS")) {
                cfg.writeDelay(Duration.ofMillis(Long.parseLong(env.get("WRITE_DELAY_MS"))));
            }
            if (env.containsKey("WRITE_DELAY_MAX_MS")) {
                cfg.autoWriteDelay(Duration.ofMillis(Long.parseLong(env.get("WRITE_DELAY_MAX_MS"))));
            }
            cfg
                .host(env.getOrDefault("HOST", "127.0.0.1"))
                .port(port)
                .auth(JwtAuth.hmac(secret))
                .apiKey(apiKey)
                .ioThreads(Integer.parseInt(env.getOrDefault("IO_THREADS", "0")));
        });
        // The request's data goes back as the raw JSON it arrived as: no tree is built.
        hub.on("echo", ctx -> ctx.reply(ctx.rawData()));
        hub.on("broadcast", ctx -> {
            JsonNode data = ctx.data();
            int delivered = hub.sendToTag(data.path("tag").asText(), "broadcast", data.get("payload"));
            ctx.reply(Map.of("delivered", delivered));
        });
        hub.start();
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        System.out.println("wshub bench app listening on port " + hub.port());
        // wshub's event loops are daemon threads: the main thread keeps the process alive.
        new CountDownLatch(1).await();
    }
}
