package io.wshub.internal;

import io.wshub.http.HttpCall;
import io.wshub.http.HttpException;
import io.wshub.http.HttpReply;
import io.wshub.http.HttpRoute;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves files from a classpath folder (the admin and demo pages, the JS client). Files are
 * read once and kept: they are few and small, and the event loop must not do I/O per request.
 */
final class StaticFiles implements HttpRoute {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "ts", "text/plain; charset=utf-8", "json", "application/json", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon");

    private final String resourceDir;
    private final Map<String, HttpReply> cache = new ConcurrentHashMap<>();

    StaticFiles(String resourceDir) {
        this.resourceDir = resourceDir.replaceAll("^/+|/+$", "");
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        String file = call.param("*");
        if (file == null || file.isEmpty()) {
            file = "index.html";
        }
        if (file.contains("..") || file.startsWith("/")) {
            throw new HttpException(404, "not found");
        }
        return cache.computeIfAbsent(file, this::load).done();
    }

    private HttpReply load(String file) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resourceDir + "/" + file)) {
            if (in == null) {
                throw new HttpException(404, "not found: " + file);
            }
            String ext = file.substring(file.lastIndexOf('.') + 1);
            return new HttpReply(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        } catch (IOException e) {
            throw new HttpException(500, "cannot read " + file);
        }
    }
}
