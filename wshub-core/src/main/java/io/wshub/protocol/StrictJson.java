package io.wshub.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules every JSON text from a client must follow, on WebSocket and in the HTTP API
 * (docs/protocol.md §1): one value and nothing after it, bounded nesting and lengths, no
 * duplicate members, well-formed UTF-8 and no lone surrogates (not even as {@code \}{@code uD800}
 * escapes), so whatever is accepted can be re-encoded for any client.
 */
public final class StrictJson {
    /** Deeper than any sane payload; keeps a parse (and the tree built from it) cheap. */
    public static final int MAX_DEPTH = 64;
    /** Digits of one number: more is a denial-of-service attempt on number parsing, not data. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Longest member name. */
    public static final int MAX_NAME_LENGTH = 1024;
    /** Longest string: the HTTP body limit's default; WebSocket messages are smaller anyway. */
    public static final int MAX_STRING_LENGTH = 1024 * 1024;

    /** The factory every client-facing parser is made from. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A mapper on {@link #FACTORY} that also refuses anything after the value. */
    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {}

    /**
     * Parses an HTTP body: well-formed UTF-8, one JSON value, the limits above, no lone
     * surrogates. The exception's message is ours, short and stable.
     */
    public static JsonNode readTree(byte[] body) throws DecodeException {
        if (!isUtf8(body)) {
            throw new DecodeException("body is not valid UTF-8", null, null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            throw failure(e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new DecodeException("malformed JSON", null, null);
        }
        if (mayHoldSurrogateEscape(body, 0, body.length) && !wellFormed(tree)) {
            throw new DecodeException(LONE_SURROGATE, null, null);
        }
        return tree;
    }

    /**
     * A streaming parser over an HTTP body that holds to the same rules as {@link #readTree}:
     * the UTF-8 and lone-surrogate checks run first, the limits and duplicate detection while
     * reading; the caller ends with {@link #finish} so nothing may follow the value.
     */
    public static JsonParser parser(byte[] body) throws DecodeException {
        if (!isUtf8(body)) {
            throw new DecodeException("body is not valid UTF-8", null, null);
        }
        try {
            if (mayHoldSurrogateEscape(body, 0, body.length) && !tokensWellFormed(body, 0, body.length)) {
                throw new DecodeException(LONE_SURROGATE, null, null);
            }
            return FACTORY.createParser(body);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Checks that nothing follows the value a {@link #parser} has read. */
    public static void finish(JsonParser parser) throws DecodeException {
        try {
            if (parser.nextToken() != null) {
                throw new DecodeException("malformed JSON", null, null);
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Our short, stable wording for a parse failure (never the library's own message). */
    public static DecodeException failure(IOException e) {
        return new DecodeException(e instanceof StreamConstraintsException ? LIMITS : "malformed JSON", null, null);
    }

    static final String LIMITS = "JSON too deep or a value too long";
    static final String LONE_SURROGATE = "string is not well-formed Unicode (lone surrogate)";

    /** True when {@code s} holds no unpaired surrogate. */
    public static boolean isWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD, for encoders that must not fail. */
    public static String wellFormed(String s) {
        if (isWellFormed(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /**
     * Whether the JSON text may contain a {@code \}{@code uD800}-{@code \}{@code uDFFF} escape: a
     * cheap scan that lets the common message skip the token-by-token check. (Raw surrogate
     * bytes are not UTF-8 and are refused before this.)
     */
    static boolean mayHoldSurrogateEscape(byte[] b, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if (b[i] == '\\' && b[i + 1] == 'u' && (b[i + 2] == 'd' || b[i + 2] == 'D')) {
                return true;
            }
        }
        return false;
    }

    /** Every string and member name of the JSON text in {@code b[from, to)} is well-formed. */
    static boolean tokensWellFormed(byte[] b, int from, int to) throws IOException {
        try (JsonParser p = FACTORY.createParser(b, from, to - from)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if ((t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) && !isWellFormed(p.getText())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean wellFormed(JsonNode node) {
        if (node.isTextual()) {
            return isWellFormed(node.textValue());
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!isWellFormed(e.getKey()) || !wellFormed(e.getValue())) {
                return false;
            }
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (!wellFormed(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isUtf8(byte[] body) {
        for (byte x : body) {
            if (x < 0) { // not all ASCII: let the JDK's strict decoder judge (overlong, surrogates, > U+10FFFF)
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
