package io.wshub.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 description of the HTTP API (resource {@code io/wshub/http/openapi.json}),
 * served at {@code GET /api/openapi.json}. A test holds it to the routes the hub really
 * serves, so a route added without its description fails the build.
 */
final class OpenApiDocument {
    static final String RESOURCE = "io/wshub/http/openapi.json";
    /** Read once: the event loop must not do I/O per request. */
    static final HttpReply REPLY = new HttpReply(200, HttpReply.JSON, load());

    private OpenApiDocument() {}

    private static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
