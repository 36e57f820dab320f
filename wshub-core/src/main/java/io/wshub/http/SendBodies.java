package io.wshub.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wshub.Target;
import io.wshub.protocol.DecodeException;
import io.wshub.protocol.RawJson;
import io.wshub.protocol.StrictJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the bodies of the send routes (docs/http-api.md) with a streaming parser: {@code data}
 * is sliced out as {@link RawJson} and copied into the outbound frame as it is, never built
 * into a tree and serialized again. Problems are {@link HttpException} 400s naming the field.
 */
final class SendBodies {
    /** Sends one {@code POST /api/send/batch} may carry. */
    static final int MAX_BATCH = 1000;

    private SendBodies() {}

    /** One send: a target, an event and its data ({@link RawJson#NULL} when absent). */
    record Send(Target target, String event, RawJson data) {}

    /** The body of {@code POST /api/send/...}: {@code {"event":"name","data":...}}. */
    static Send push(HttpCall call, Target target) {
        return parse(call, p -> {
            expect(p.nextToken() == JsonToken.START_OBJECT, "request body must be a JSON object");
            return send(p, call.body(), target, "");
        });
    }

    /** The body of {@code POST /api/send/batch}: {@code {"sends":[{"to":"tag","id":"room-1","event":...,"data":...}]}}. */
    static List<Send> batch(HttpCall call) {
        return parse(call, p -> {
            expect(p.nextToken() == JsonToken.START_OBJECT, "request body must be a JSON object");
            List<Send> sends = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("sends")) {
                    expect(p.currentToken() == JsonToken.START_ARRAY, "\"sends\" must be an array");
                    sends = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String where = "sends[" + sends.size() + "]";
                        expect(sends.size() < MAX_BATCH, "at most " + MAX_BATCH + " sends per batch");
                        expect(p.currentToken() == JsonToken.START_OBJECT, where + " must be an object");
                        sends.add(send(p, call.body(), null, where + ": "));
                    }
                } else {
                    p.skipChildren();
                }
            }
            expect(sends != null, "missing \"sends\": send {\"sends\":[{\"to\":\"tag\",\"id\":\"room-1\",\"event\":\"name\",\"data\":...}]}");
            return sends;
        });
    }

    /** The members of one send object, the parser on its START_OBJECT; {@code target} null = read "to" and "id". */
    private static Send send(JsonParser p, byte[] body, Target target, String where) throws IOException {
        String event = null;
        boolean eventSeen = false;
        RawJson data = RawJson.NULL;
        String to = null;
        String id = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("event")) {
                eventSeen = value != JsonToken.VALUE_NULL;
                event = value == JsonToken.VALUE_STRING ? p.getText() : null;
            } else if (field.equals("data")) {
                data = RawJson.slice(p, body);
            } else if (target == null && field.equals("to")) {
                expect(value == JsonToken.VALUE_STRING, where + "\"to\" must be one of client, user, tag, all");
                to = p.getText();
            } else if (target == null && field.equals("id")) {
                expect(value == JsonToken.VALUE_STRING && !p.getText().isEmpty(), where + "\"id\" must be a non-empty string");
                id = p.getText();
            } else {
                p.skipChildren();
            }
        }
        expect(eventSeen, where + "missing \"event\": send {\"event\":\"name\",\"data\":...}");
        expect(event != null && !event.isBlank(), where + "\"event\" must be a non-empty string");
        return new Send(target != null ? target : target(to, id, where), event, data);
    }

    private static Target target(String to, String id, String where) {
        expect(to != null, where + "missing \"to\": one of client, user, tag, all");
        Target.Kind kind;
        try {
            kind = Target.Kind.valueOf(to.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, where + "\"to\" must be one of client, user, tag, all, not \"" + to + "\"");
        }
        if (kind == Target.Kind.ALL) {
            return Target.ALL;
        }
        expect(id != null, where + "missing \"id\" for \"to\":\"" + to + "\"");
        return new Target(kind, id);
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    private static <T> T parse(HttpCall call, Reader<T> reader) {
        if (call.body().length == 0) {
            throw new HttpException(400, "request body must be JSON");
        }
        try (JsonParser p = StrictJson.parser(call.body())) {
            T read = reader.read(p);
            StrictJson.finish(p);
            return read;
        } catch (DecodeException e) {
            throw new HttpException(400, "invalid JSON body: " + e.getMessage());
        } catch (IOException e) {
            throw new HttpException(400, "invalid JSON body: " + StrictJson.failure(e).getMessage());
        }
    }

    private static void expect(boolean ok, String message) {
        if (!ok) {
            throw new HttpException(400, message);
        }
    }
}
