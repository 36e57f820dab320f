package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.protocol.DecodeException;
import io.wshub.protocol.StrictJson;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One HTTP request, fully read. Immutable.
 *
 * @param pathParams values of the route's {@code {name}} segments (and {@code *} for a tail)
 */
public record HttpCall(String method, String path, Map<String, List<String>> query,
                       Function<String, String> headers, byte[] body, String remoteIp,
                       Map<String, String> pathParams) {
    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A request header (case-insensitive), or null. */
    public String header(String name) {
        return headers.apply(name);
    }

    public String param(String name) {
        return pathParams.get(name);
    }

    /**
     * The body as a JSON tree.
     *
     * @throws HttpException 400 when the body is empty or not JSON
     */
    public JsonNode json() {
        if (body.length == 0) {
            throw new HttpException(400, "request body must be JSON");
        }
        try {
            return StrictJson.readTree(body);
        } catch (DecodeException e) {
            throw new HttpException(400, "invalid JSON body: " + e.getMessage());
        }
    }
}
