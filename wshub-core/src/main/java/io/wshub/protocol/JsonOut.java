package io.wshub.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the JSON of an outbound envelope straight into a buffer. The envelope's members
 * (names, short strings, numbers) are written by hand; only {@code data} that is not already
 * raw JSON goes through Jackson. This skips a Jackson generator per message, which profiling
 * showed to be most of the encode cost for small replies.
 */
final class JsonOut {
    private static final ObjectWriter WRITER = JsonWireCodec.MAPPER.writer()
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonOut() {}

    /** The bytes of {@code "name":}, made once per field name. */
    static byte[] name(String name) {
        return ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
    }

    static void string(ByteBuf out, String s) {
        if (isPlainAscii(s)) {
            out.writeByte('"');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeByte('"');
        } else {
            out.writeByte('"');
            // A lone surrogate (from a handler; clients' are refused at decode) would make the
            // encoder throw and lose the message: it goes out as U+FFFD instead.
            out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(StrictJson.wellFormed(s)));
            out.writeByte('"');
        }
    }

    /** A seqno as the client sent it: a number's text as is (the parser validated it), else a string. */
    static void seqno(ByteBuf out, String seqno, boolean isNumber) {
        if (isNumber) {
            out.writeCharSequence(seqno, StandardCharsets.US_ASCII);
        } else {
            string(out, seqno);
        }
    }

    /** A decimal written digit by digit into the buffer: every reply has two (code, timestamp), and a String each showed in profiles. */
    static void number(ByteBuf out, long n) {
        if (n < 0) {
            out.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
            return;
        }
        int length = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            length++;
        }
        out.ensureWritable(length);
        int end = out.writerIndex() + length;
        int at = end;
        do {
            out.setByte(--at, (int) ('0' + n % 10));
            n /= 10;
        } while (n > 0);
        out.writerIndex(end);
    }

    /** Any data value: raw JSON is copied, strings escaped, the rest serialized by Jackson. */
    static void value(ByteBuf out, Object data) {
        if (data instanceof RawJson raw) {
            out.writeBytes(raw.bytes());
        } else if (data instanceof String s) {
            string(out, s);
        } else {
            try {
                WRITER.writeValue((java.io.OutputStream) new ByteBufOutputStream(out), data);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialize data: " + e.getMessage(), e);
            }
        }
    }

    /** True when the string needs no escaping: printable ASCII without quote or backslash. */
    private static boolean isPlainAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
