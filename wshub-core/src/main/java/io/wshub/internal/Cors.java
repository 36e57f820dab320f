package io.wshub.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Cross-origin rules of docs/protocol.md §4.5. Static files (the JS client above all) are
 * public: any origin, a page on disk included ({@code Origin: null}), may load them. The HTTP
 * API answers cross-origin calls only from the configured {@code corsOrigins}; the key is still
 * checked on every call, CORS only lets the browser hand the answer to the page.
 * Immutable; used from every event loop.
 */
final class Cors {
    private static final String API_PREFIX = "/api/";
    private static final String API_METHODS = "GET, POST, OPTIONS";
    private static final String API_HEADERS = "X-API-Key, Authorization, Content-Type";
    /** 10 minutes: Chromium's cap on preflight caching, so a longer value would only be cut. */
    private static final String MAX_AGE_SECONDS = "600";

    /** Shared and never changed: only read when copied into a response. */
    private static final HttpHeaders ANY_ORIGIN = new DefaultHttpHeaders().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");

    private final List<Pattern> apiOrigins;

    Cors(List<String> apiOrigins) {
        this.apiOrigins = apiOrigins.stream().map(Upgrader::wildcard).toList();
    }

    /** A browser's preflight: {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}. */
    static boolean isPreflight(HttpRequest req) {
        return req.method().equals(HttpMethod.OPTIONS) && req.headers().contains(HttpHeaderNames.ORIGIN)
                && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /**
     * Fills in the answer to a preflight and says whether this hub allows it; a preflight it
     * does not allow is served like any request (401 under /api, 404 or 405 elsewhere).
     */
    boolean preflight(String origin, String path, boolean staticFile, HttpHeaders out) {
        if (staticFile) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD");
        } else if (apiAllows(origin, path)) {
            allowApi(origin, out);
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, API_METHODS);
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, API_HEADERS);
        } else {
            return false;
        }
        out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
        return true;
    }

    /** The CORS headers of an ordinary answer to {@code origin} (null: not a cross-origin call); usually none, and then nothing is allocated. */
    HttpHeaders headers(String origin, String path, boolean staticFile) {
        if (staticFile) {
            return ANY_ORIGIN;
        }
        if (origin == null || !apiAllows(origin, path)) {
            return EmptyHttpHeaders.INSTANCE;
        }
        HttpHeaders out = new DefaultHttpHeaders();
        allowApi(origin, out);
        return out;
    }

    private boolean apiAllows(String origin, String path) {
        if (!path.startsWith(API_PREFIX)) {
            return false;
        }
        for (Pattern p : apiOrigins) {
            if (p.matcher(origin).matches()) {
                return true;
            }
        }
        return false;
    }

    private static void allowApi(String origin, HttpHeaders out) {
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        out.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
}
