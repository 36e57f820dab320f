package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.ClientQuery;

/**
 * Reads and validates what the API's callers send: bodies and query parameters. Every
 * problem becomes an {@link HttpException} 400 whose message names the field and the fix.
 */
final class ApiBodies {
    static final int DEFAULT_PAGE = 1;
    static final int DEFAULT_PER_PAGE = 20;

    private ApiBodies() {}

    /** The optional {@code {"reason": "..."}} of a kick; no body at all is fine. */
    static String reason(HttpCall call) {
        if (isBlank(call.body())) {
            return null;
        }
        JsonNode reason = object(call.json()).get("reason");
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual()) {
            throw new HttpException(400, "\"reason\" must be a string");
        }
        return reason.textValue();
    }

    /** The required {@code {"tag": "..."}} of a server-side join or quit. */
    static String tag(HttpCall call) {
        JsonNode tag = isBlank(call.body()) ? null : object(call.json()).get("tag");
        if (tag == null || !tag.isTextual() || tag.textValue().isEmpty()) {
            throw new HttpException(400, "body must be {\"tag\": \"<tag>\"}");
        }
        return tag.textValue();
    }

    /** Filters and paging of {@code GET /api/clients}; empty filters match everything. */
    static ClientQuery clientQuery(HttpCall call) {
        int page = positive(call, "page", DEFAULT_PAGE, Integer.MAX_VALUE);
        int perPage = positive(call, "perPage", DEFAULT_PER_PAGE, ClientQuery.MAX_PER_PAGE);
        return new ClientQuery(filter(call, "userId"), filter(call, "tag"), filter(call, "ip"), page, perPage);
    }

    private static JsonNode object(JsonNode body) {
        if (!body.isObject()) {
            throw new HttpException(400, "request body must be a JSON object");
        }
        return body;
    }

    /** Query {@code after} of {@code GET /api/events}: a sequence number, 0 (default) for everything kept. */
    static long after(HttpCall call) {
        String raw = call.query("after");
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpException(400, "after must be a sequence number (0 or more), not \"" + raw + "\"");
    }

    /** Query {@code limit}: 1 to {@code max}. */
    static int limit(HttpCall call, int fallback, int max) {
        return positive(call, "limit", fallback, max);
    }

    private static int positive(HttpCall call, String name, int fallback, int max) {
        return (int) number(call, name, fallback, 1, max);
    }

    /**
     * The whole-number query parameter {@code name} in {@code [min, max]}, or {@code fallback}
     * when it is absent or blank; anything else is a 400 naming the parameter and its range.
     */
    static long number(HttpCall call, String name, long fallback, long min, long max) {
        String raw = call.query(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new HttpException(400, name + " must be a whole number, not \"" + raw + "\"");
        }
        if (value < min || value > max) {
            throw new HttpException(400, name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    private static String filter(HttpCall call, String name) {
        String value = call.query(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
