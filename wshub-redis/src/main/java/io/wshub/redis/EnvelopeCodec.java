package io.wshub.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wshub.Target;
import io.wshub.cluster.Envelope;
import io.wshub.protocol.RawJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The bytes of an {@link Envelope} on a Redis channel: a one-line JSON header, a newline, and
 * the data's JSON bytes exactly as the sender had them (never parsed on the way):
 *
 * <pre>
 * {"v":1,"op":"send","kind":"user","id":"42","event":"chat/send","from":"a"}\n{"text":"hi"}
 * {"v":1,"op":"kick","kind":"client","id":"a.k3x9","from":"b"}\n"spam"
 * </pre>
 *
 * <p>{@code v} is the format version; a receiver drops versions it does not know. {@code id} is
 * absent for kind {@code all}, {@code event} for kicks (whose data is the reason as a JSON
 * string). The header is written by Jackson without line breaks, so the first {@code \n} ends
 * it. Readable with {@code redis-cli psubscribe 'wshub:*'}. Public because the NATS broker
 * ({@code wshub-nats}) carries the same bytes.
 */
public final class EnvelopeCodec {
    static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte NEWLINE = '\n';

    private EnvelopeCodec() {}

    public static byte[] encode(Envelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + e.data().bytes().length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("op", e.op().name().toLowerCase(Locale.ROOT));
            g.writeStringField("kind", e.target().kind().name().toLowerCase(Locale.ROOT));
            if (e.target().id() != null) {
                g.writeStringField("id", e.target().id());
            }
            if (e.event() != null) {
                g.writeStringField("event", e.event());
            }
            g.writeStringField("from", e.origin());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        out.write(NEWLINE);
        out.writeBytes(e.data().bytes());
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code bytes} is not an envelope of a known version */
    public static Envelope decode(byte[] bytes) {
        int end = indexOf(bytes, NEWLINE);
        if (end < 0) {
            throw new IllegalArgumentException("no header line");
        }
        String op = null, kind = null, id = null, event = null, from = null;
        int version = -1;
        try (JsonParser p = JSON.createParser(bytes, 0, end)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("header is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "v" -> version = p.getIntValue();
                    case "op" -> op = p.getText();
                    case "kind" -> kind = p.getText();
                    case "id" -> id = p.getText();
                    case "event" -> event = p.getText();
                    case "from" -> from = p.getText();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException ex) {
            throw new IllegalArgumentException("bad header: " + ex.getMessage(), ex);
        }
        if (version != VERSION || op == null || kind == null || from == null) {
            throw new IllegalArgumentException("unknown header version or missing field");
        }
        Target.Kind k = Target.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        if (k != Target.Kind.ALL && id == null) {
            throw new IllegalArgumentException("no id for kind " + kind);
        }
        Target target = k == Target.Kind.ALL ? Target.ALL : new Target(k, id);
        RawJson data = RawJson.wrap(Arrays.copyOfRange(bytes, end + 1, bytes.length));
        return new Envelope(Envelope.Op.valueOf(op.toUpperCase(Locale.ROOT)), target, event, data, from);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
