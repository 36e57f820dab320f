package io.wshub.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The shared machinery of the two JSON codecs: a streaming decoder that reads the request
 * fields and slices {@code data} out as {@link RawJson} without building a tree, and an
 * encoder that writes straight into a pooled buffer ({@link JsonOut}). Subclasses only name fields.
 */
abstract class JsonWireCodec implements Codec {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * {@link StrictJson#FACTORY} with duplicate detection off at the start: the envelope's
     * members are checked here, and Jackson's detection is switched on before the first value
     * that may nest (see {@link #decode}). Jackson's detector builds a HashSet from an object's
     * third member on, and every request has three (event, data, seqno): that set was 3% of
     * the server's CPU on the echo benchmark.
     */
    private static final JsonFactory FACTORY = StrictJson.FACTORY.rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final int EVENT = 1;
    private static final int SEQNO = 2;
    private static final int DATA = 4;

    private final String eventField;

    JsonWireCodec(String eventField) {
        this.eventField = eventField;
    }

    /**
     * One JSON object and nothing after it (docs/protocol.md §1), under {@link StrictJson}'s
     * rules: {@code event} a non-empty string, {@code seqno} a string or a number (kept as
     * sent, never parsed into), no lone surrogates anywhere. Messages are ours and stable.
     */
    @Override
    public Inbound decode(ByteBuf frame) throws DecodeException {
        byte[] bytes = ByteBufUtil.getBytes(frame);
        String event = null;
        String seqno = null;
        boolean seqnoIsNumber = false;
        RawJson data = RawJson.NULL;
        int seen = 0;
        Set<String> others = null; // names of the members we ignore, for their duplicates
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException("message must be a JSON object", null, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                int member = field.equals(eventField) ? EVENT : field.equals("seqno") ? SEQNO : field.equals("data") ? DATA : 0;
                if (member == 0) {
                    others = others == null ? new HashSet<>() : others;
                }
                if ((seen & member) != 0 || member == 0 && !others.add(field)) {
                    throw new JsonParseException(p, "duplicate member " + field);
                }
                seen |= member;
                if (member != EVENT && member != SEQNO) {
                    // Objects inside take their detector from this one: from here on Jackson
                    // checks every nested object (and this one's later names) itself.
                    p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                }
                JsonToken value = p.nextToken();
                if (member == EVENT) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new DecodeException("'" + eventField + "' must be a string", null, seqno, seqnoIsNumber);
                    }
                    event = p.getText();
                } else if (member == SEQNO) {
                    if (value == JsonToken.VALUE_STRING) {
                        seqno = p.getText();
                    } else if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                        seqno = p.getText(); // the digits as sent: never turned into a double and back
                        seqnoIsNumber = true;
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new DecodeException("'seqno' must be a string or a number", event, null);
                    }
                } else if (member == DATA) {
                    data = RawJson.slice(p, bytes);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new DecodeException("malformed JSON", event, seqno, seqnoIsNumber);
            }
            if (p.nextToken() != null) {
                throw new DecodeException("one JSON object per frame: found more after it", event, seqno, seqnoIsNumber);
            }
        } catch (StreamConstraintsException e) {
            throw new DecodeException(StrictJson.LIMITS, event, seqno, seqnoIsNumber);
        } catch (IOException e) { // Jackson's parse errors; the input is in memory
            throw new DecodeException("malformed JSON", event, seqno, seqnoIsNumber);
        }
        if (event == null || event.isEmpty()) {
            throw new DecodeException("missing '" + eventField + "'", null, seqno, seqnoIsNumber);
        }
        if (StrictJson.mayHoldSurrogateEscape(bytes, 0, bytes.length) && !tokensWellFormed(bytes)) {
            boolean namesOk = StrictJson.isWellFormed(event) && (seqno == null || StrictJson.isWellFormed(seqno));
            throw new DecodeException(StrictJson.LONE_SURROGATE, namesOk ? event : null, namesOk ? seqno : null, seqnoIsNumber);
        }
        return new Inbound(event, seqno, data, seqnoIsNumber);
    }

    private static boolean tokensWellFormed(byte[] bytes) {
        try {
            return StrictJson.tokensWellFormed(bytes, 0, bytes.length);
        } catch (IOException e) { // parsed fine a moment ago
            return false;
        }
    }

    @Override
    public void encode(Outbound message, ByteBuf out) {
        out.writeByte('{');
        writeFields(out, message);
        if (message.mark() != null) {
            writeMark(out, message.mark());
        }
        out.writeByte('}');
    }

    private static final byte[] STREAM = comma("stream");
    private static final byte[] OFFSET = comma("offset");
    private static final byte[] EPOCH = comma("epoch");
    private static final byte[] RECOVERED = comma("recovered");

    /** The same extra members in both codecs (see {@link StreamMark}). */
    private static void writeMark(ByteBuf out, StreamMark mark) {
        out.writeBytes(STREAM);
        JsonOut.string(out, mark.stream());
        out.writeBytes(OFFSET);
        JsonOut.number(out, mark.offset());
        out.writeBytes(EPOCH);
        JsonOut.string(out, mark.epoch());
        if (mark.recovered() != null) {
            out.writeBytes(RECOVERED);
            out.writeCharSequence(mark.recovered() ? "true" : "false", java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** Writes the members of one message, in wire order, comma-separated. */
    abstract void writeFields(ByteBuf out, Outbound message);

    /** The bytes of {@code ,"name":}. */
    static byte[] comma(String name) {
        byte[] field = JsonOut.name(name);
        byte[] withComma = new byte[field.length + 1];
        withComma[0] = ',';
        System.arraycopy(field, 0, withComma, 1, field.length);
        return withComma;
    }

    static boolean hasData(Object data) {
        return data != null && !(data instanceof RawJson raw && raw.isNull());
    }
}
