package io.wshub.internal;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.wshub.http.HttpRoute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a method and path to a route. Patterns are literal segments, {@code {name}}
 * segments, and an optional trailing {@code *} that takes the rest of the path.
 */
final class HttpRouter {
    private record Entry(String method, String pattern, String[] segments, HttpRoute route) {}

    /** The result of a lookup: a route with its path parameters, or why there is none. */
    record Match(HttpRoute route, Map<String, String> params, boolean methodNotAllowed) {}

    private final List<Entry> entries = new ArrayList<>();

    void add(String method, String pattern, HttpRoute route) {
        entries.add(new Entry(method.toUpperCase(), pattern, split(pattern), route));
    }

    /** Every route as {@code "METHOD /pattern"}, in the order they were added (what the OpenAPI test checks). */
    List<String> table() {
        return entries.stream().map(e -> e.method + " " + e.pattern).toList();
    }

    /**
     * The route for a request; a null route means 404, or 405 when {@code methodNotAllowed}.
     * {@code rawPath} is still URL-encoded: it is split first and each segment decoded, so a
     * parameter may hold an encoded {@code /} (a user id like {@code org%2F42}).
     */
    Match match(String method, String rawPath) {
        String[] parts = split(rawPath);
        for (int i = 0; i < parts.length; i++) {
            // decodeComponent is the query-string flavour: keep a path's '+' a plus sign
            parts[i] = QueryStringDecoder.decodeComponent(parts[i].replace("+", "%2B"));
        }
        boolean pathMatched = false;
        for (Entry e : entries) {
            Map<String, String> params = bind(e.segments, parts);
            if (params == null) {
                continue;
            }
            if (e.method.equals(method) || (e.method.equals("GET") && method.equals("HEAD"))) {
                return new Match(e.route, params, false);
            }
            pathMatched = true;
        }
        return new Match(null, Map.of(), pathMatched);
    }

    private static Map<String, String> bind(String[] pattern, String[] parts) {
        Map<String, String> params = new HashMap<>(2);
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.equals("*")) {
                params.put("*", String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length)));
                return params;
            }
            if (i >= parts.length) {
                return null;
            }
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), parts[i]);
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return pattern.length == parts.length ? params : null;
    }

    private static String[] split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }
}
