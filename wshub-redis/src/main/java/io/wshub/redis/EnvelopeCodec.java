package io.wshub.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wshub.Target;
import io.wshub.cluster.Envelope;
import io.wshub.cluster.StreamPosition;
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
 * string). Sends to a target with history also carry {@code "offset"} and {@code "epoch"} in
 * the header (see {@link RedisHistory}). The header is written by Jackson without line breaks,
 * so the first {@code \n} ends it. Readable with {@code redis-cli psubscribe 'wshub:*'}. Public
 * because the NATS broker ({@code wshub-nats}) carries the same bytes.
 */
public final class EnvelopeCodec {
    static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte NEWLINE = '\n';

    private EnvelopeCodec() {}

    public static byte[] encode(Envelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + e.data().bytes().length);
        writeHeader(out, e, true);
        out.write(NEWLINE);
        out.writeBytes(e.data().bytes());
        return out.toByteArray();
    }

    /**
     * The header of {@code e} without its closing brace: {@link RedisHistory}'s script appends
     * {@code ,"offset":n,"epoch":"e"}, the brace, the newline and the data once it knows the position.
     */
    static byte[] openHeader(Envelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        writeHeader(out, e, false);
        byte[] header = out.toByteArray();
        return Arrays.copyOf(header, header.length - 1);
    }

    private static void writeHeader(ByteArrayOutputStream out, Envelope e, boolean withPosition) {
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
            if (withPosition && e.position() != null) {
                g.writeNumberField("offset", e.position().offset());
                g.writeStringField("epoch", e.position().epoch());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @throws IllegalArgumentException if {@code bytes} is not an envelope of a known version */
    public static Envelope decode(byte[] bytes) {
        int end = indexOf(bytes, NEWLINE);
        if (end < 0) {
            throw new IllegalArgumentException("no header line");
        }
        String op = null, kind = null, id = null, event = null, from = null, epoch = null;
        long offset = -1;
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
                    case "offset" -> offset = p.getLongValue();
                    case "epoch" -> epoch = p.getText();
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
        StreamPosition position = offset >= 0 && epoch != null && !epoch.isEmpty() ? new StreamPosition(offset, epoch) : null;
        return new Envelope(Envelope.Op.valueOf(op.toUpperCase(Locale.ROOT)), target, event, data, from, position);
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
