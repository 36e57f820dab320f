package io.wshub.hostile;

import io.wshub.protocol.Protocol;
import io.wshub.testing.RawWs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.wshub.testing.RawWs.CLOSE;
import static io.wshub.testing.RawWs.CONTINUATION;
import static io.wshub.testing.RawWs.PING;
import static io.wshub.testing.RawWs.PONG;
import static io.wshub.testing.RawWs.TEXT;
import static io.wshub.testing.RawWs.concat;
import static io.wshub.testing.RawWs.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6455 at the frame level (docs/protocol.md §1): each violation earns its RFC close code. */
class HostileFramesTest extends HostileSuite {
    private static final byte[] PING_EVENT = "{\"event\":\"ping\",\"seqno\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    /** Bytes that are not UTF-8, placed inside a JSON string so only the encoding is wrong. */
    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("overlong 2-byte NUL", "c0 80"),
                Arguments.of("overlong 2-byte C1", "c1 bf"),
                Arguments.of("overlong 3-byte slash", "e0 80 af"),
                Arguments.of("overlong 3-byte max", "e0 9f bf"),
                Arguments.of("overlong 4-byte slash", "f0 80 80 af"),
                Arguments.of("overlong 4-byte max", "f0 8f bf bf"),
                Arguments.of("encoded high surrogate", "ed a0 80"),
                Arguments.of("encoded low surrogate", "ed bf bf"),
                Arguments.of("encoded surrogate pair", "ed a0 bd ed b2 a9"),
                Arguments.of("U+110000", "f4 90 80 80"),
                Arguments.of("lead byte F5", "f5 80 80 80"),
                Arguments.of("lead byte F7", "f7 bf bf bf"),
                Arguments.of("5-byte form", "f8 88 80 80 80"),
                Arguments.of("6-byte form", "fc 84 80 80 80 80"),
                Arguments.of("byte FE", "fe"),
                Arguments.of("byte FF", "ff"),
                Arguments.of("lone continuation 80", "80"),
                Arguments.of("lone continuation BF", "bf"),
                Arguments.of("2-byte lead then ASCII", "c2 41"),
                Arguments.of("3-byte lead missing last", "e2 82 41"),
                Arguments.of("4-byte lead missing last", "f0 9f 98 41"));
    }

    @ParameterizedTest(name = "text with {0} closes 1007")
    @MethodSource("invalidUtf8")
    void invalidUtf8InATextFrameCloses1007(String name, String bytes) {
        byte[] payload = concat("{\"event\":\"ping\",\"data\":\"".getBytes(StandardCharsets.US_ASCII), hex(bytes), "\"}".getBytes(StandardCharsets.US_ASCII));
        assertThat(closeAfter(frame(TEXT, payload))).isEqualTo(Protocol.CLOSE_INVALID_PAYLOAD);
    }

    @ParameterizedTest(name = "fragmented text with {0} in the second fragment closes 1007")
    @MethodSource("invalidUtf8")
    void invalidUtf8InAContinuationCloses1007(String name, String bytes) {
        byte[] first = fragment(TEXT, "{\"event\":\"ping\",\"data\":\"".getBytes(StandardCharsets.US_ASCII), true, false);
        byte[] second = frame(0x80 | CONTINUATION, concat(hex(bytes), "\"}".getBytes(StandardCharsets.US_ASCII)), true);
        assertThat(closeAfter(concat(first, second))).isEqualTo(Protocol.CLOSE_INVALID_PAYLOAD);
    }

    @Test
    void aMessageEndingInsideACharacterCloses1007() {
        assertThat(closeAfter(frame(TEXT, concat("{\"event\":\"ping\",\"data\":\"".getBytes(StandardCharsets.US_ASCII), hex("e2 82")))))
                .isEqualTo(Protocol.CLOSE_INVALID_PAYLOAD);
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsFine() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] head = concat("{\"event\":\"ping\",\"seqno\":\"".getBytes(StandardCharsets.US_ASCII), new byte[] {euro[0]});
        byte[] tail = concat(new byte[] {euro[1], euro[2]}, "\"}".getBytes(StandardCharsets.US_ASCII));
        try (RawWs ws = connected()) {
            ws.write(concat(fragment(TEXT, head, true, false), frame(0x80 | CONTINUATION, tail, true)));
            assertThat(ws.nextText()).contains("\"seqno\":\"€\"").contains("\"code\":0");
        }
    }

    /**
     * The ASCII fast path checks eight bytes at a time and then the tail: a byte that is not
     * UTF-8 is found wherever it falls, in either part, in frames short and long.
     */
    @ParameterizedTest(name = "byte FF after {0} ASCII bytes of data closes 1007")
    @ValueSource(ints = {0, 1, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 100, 1000})
    void aByteThatIsNotUtf8IsFoundAtAnyOffset(int offset) {
        byte[] payload = concat(("{\"event\":\"ping\",\"data\":\"" + "x".repeat(offset)).getBytes(StandardCharsets.US_ASCII),
                hex("ff"), "\"}".getBytes(StandardCharsets.US_ASCII));
        assertThat(closeAfter(frame(TEXT, payload))).isEqualTo(Protocol.CLOSE_INVALID_PAYLOAD);
    }

    @Test
    void textThatIsNotAsciiIsAnswered() {
        try (RawWs ws = connected()) {
            ws.write(frame(TEXT, "{\"event\":\"ping\",\"seqno\":\"日本語 €\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(ws.nextText()).contains("\"seqno\":\"日本語 €\"").contains("\"code\":0");
        }
    }

    @ParameterizedTest(name = "RSV bits {0} on text close 1002")
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void reservedBitsOnTextClose1002(int rsv) {
        assertThat(closeAfter(frame(0x80 | rsv | TEXT, PING_EVENT, true))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "RSV bits {0} on ping close 1002")
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void reservedBitsOnPingClose1002(int rsv) {
        assertThat(closeAfter(frame(0x80 | rsv | PING, new byte[0], true))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "opcode {0} closes 1002")
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void unknownOpcodesClose1002(int opcode) {
        assertThat(closeAfter(frame(0x80 | opcode, new byte[] {'x'}, true))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "unmasked opcode {0} closes 1002")
    @ValueSource(ints = {TEXT, RawWs.BINARY, PING, PONG, CLOSE})
    void unmaskedClientFramesClose1002(int opcode) {
        byte[] payload = opcode == CLOSE ? RawWs.closePayload(1000, "") : PING_EVENT;
        assertThat(closeAfter(frame(0x80 | opcode, payload, false))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "fragmented control opcode {0} closes 1002")
    @ValueSource(ints = {PING, PONG, CLOSE})
    void fragmentedControlFramesClose1002(int opcode) {
        assertThat(closeAfter(fragment(opcode, new byte[] {3, (byte) 0xe8}, true, false))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "control opcode {0} with {1} bytes closes 1002")
    @MethodSource("oversizeControls")
    void oversizeControlFramesClose1002(int opcode, int length) {
        byte[] payload = new byte[length];
        payload[0] = 3;
        payload[1] = (byte) 0xe8;
        java.util.Arrays.fill(payload, 2, length, (byte) 'a');
        assertThat(closeAfter(frame(opcode, payload))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    static Stream<Arguments> oversizeControls() {
        return Stream.of(Arguments.of(PING, 126), Arguments.of(PING, 1000), Arguments.of(PONG, 126), Arguments.of(CLOSE, 126), Arguments.of(CLOSE, 300));
    }

    @ParameterizedTest(name = "continuation (fin={0}) with nothing to continue closes 1002")
    @ValueSource(booleans = {true, false})
    void aContinuationWithNothingToContinueCloses1002(boolean fin) {
        assertThat(closeAfter(frame((fin ? 0x80 : 0) | CONTINUATION, PING_EVENT, true))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "opcode {0} inside a fragmented message closes 1002")
    @ValueSource(ints = {TEXT, RawWs.BINARY})
    void aNewDataFrameInsideAFragmentedMessageCloses1002(int opcode) {
        byte[] first = fragment(TEXT, "{\"event\":".getBytes(StandardCharsets.US_ASCII), true, false);
        assertThat(closeAfter(concat(first, frame(0x80 | opcode, "\"ping\"}".getBytes(StandardCharsets.US_ASCII), true))))
                .isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @Test
    void aCloseFrameWithOneBytePayloadCloses1002() {
        assertThat(closeAfter(frame(CLOSE, new byte[] {3}))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "close code {0} closes 1002")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void aCloseFrameWithAnInvalidCodeCloses1002(int code) {
        assertThat(closeAfter(frame(CLOSE, RawWs.closePayload(code, "")))).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "close code {0} is echoed")
    @ValueSource(ints = {1000, 1001, 1003, 3000, 4000, 4999})
    void aValidCloseCodeIsEchoed(int code) {
        assertThat(closeAfter(frame(CLOSE, RawWs.closePayload(code, "bye")))).isEqualTo(code);
    }

    @Test
    void anEmptyCloseFrameIsAnsweredWith1000() {
        assertThat(closeAfter(frame(CLOSE, new byte[0]))).isEqualTo(Protocol.CLOSE_NORMAL);
    }

    @Test
    void aCloseReasonThatIsNotUtf8Closes1007() {
        assertThat(closeAfter(frame(CLOSE, concat(new byte[] {3, (byte) 0xe8}, hex("ed a0 80"))))).isEqualTo(Protocol.CLOSE_INVALID_PAYLOAD);
    }

    @Test
    void aFrameOverTheLimitCloses1009() {
        assertThat(closeAfter(frame(TEXT, new byte[MAX_MESSAGE + 1]))).isEqualTo(Protocol.CLOSE_TOO_BIG);
    }

    @Test
    void fragmentsAddingUpOverTheLimitClose1009() {
        byte[] half = new byte[MAX_MESSAGE / 2 + 1];
        java.util.Arrays.fill(half, (byte) ' ');
        assertThat(closeAfter(concat(fragment(TEXT, half, true, false), frame(0x80 | CONTINUATION, half, true)))).isEqualTo(Protocol.CLOSE_TOO_BIG);
    }

    @Test
    void aLengthWithItsTopBitSetIsRefused() {
        byte[] header = hex("81 ff 80 00 00 00 00 00 00 00 01 02 03 04");
        assertThat(closeAfter(header)).isIn(Protocol.CLOSE_PROTOCOL_ERROR, Protocol.CLOSE_TOO_BIG);
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredAndTheMessageStillArrives() {
        try (RawWs ws = connected()) {
            ws.write(concat(fragment(TEXT, "{\"event\":\"ping\",".getBytes(StandardCharsets.US_ASCII), true, false),
                    frame(PING, "hi".getBytes(StandardCharsets.US_ASCII)),
                    frame(0x80 | CONTINUATION, "\"seqno\":\"7\"}".getBytes(StandardCharsets.US_ASCII), true)));
            RawWs.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("hi");
            assertThat(ws.nextText()).contains("\"seqno\":\"7\"");
        }
    }

    @ParameterizedTest(name = "a ping event written {0} byte(s) at a time is answered")
    @ValueSource(ints = {1, 2, 3, 7})
    void framesSplitAcrossWritesAreReassembled(int size) {
        try (RawWs ws = connected()) {
            ws.writeSplit(frame(TEXT, PING_EVENT), size);
            assertThat(ws.nextText()).contains("\"event\":\"ping\"").contains("\"seqno\":\"1\"");
        }
    }

    @Test
    void twoFramesInOneWriteAreBothAnswered() {
        try (RawWs ws = connected()) {
            ws.write(concat(frame(TEXT, PING_EVENT), frame(TEXT, "{\"event\":\"ping\",\"seqno\":\"2\"}".getBytes(StandardCharsets.US_ASCII))));
            assertThat(ws.nextText()).contains("\"seqno\":\"1\"");
            assertThat(ws.nextText()).contains("\"seqno\":\"2\"");
        }
    }

    @Test
    void anEmptyTextFrameIsAHeartbeatWithNoReply() {
        try (RawWs ws = connected()) {
            ws.write(concat(frame(TEXT, new byte[0]), frame(TEXT, PING_EVENT)));
            assertThat(ws.nextText()).contains("\"event\":\"ping\"");
        }
    }

    @Test
    void framesInTheSameSegmentAsTheUpgradeAreReadAfterTheConnectedEvent() {
        try (RawWs ws = RawWs.open(hub.port(), "/ws", concat(frame(TEXT, PING_EVENT), frame(PING, "p".getBytes(StandardCharsets.US_ASCII))))) {
            assertThat(ws.nextText()).contains("\"event\":\"connected\"");
            assertThat(ws.nextText()).contains("\"event\":\"ping\"").contains("\"seqno\":\"1\"");
        }
    }

    @Test
    void aBadFrameInTheSameSegmentAsTheUpgradeCloses1002() {
        try (RawWs ws = RawWs.open(hub.port(), "/ws", frame(0x80 | 0x3, new byte[0], true))) {
            assertThat(ws.awaitClose()).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
        }
    }

    @Test
    void aPingIsAnsweredWithTheSamePayload() {
        try (RawWs ws = connected()) {
            ws.write(frame(PING, "abc".getBytes(StandardCharsets.US_ASCII)));
            RawWs.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("abc");
        }
    }

    @Test
    void anUnsolicitedPongIsIgnored() {
        try (RawWs ws = connected()) {
            ws.write(concat(frame(PONG, "x".getBytes(StandardCharsets.US_ASCII)), frame(TEXT, PING_EVENT)));
            assertThat(ws.nextText()).contains("\"event\":\"ping\"");
        }
    }

    private static byte[] fragment(int opcode, byte[] payload, boolean mask, boolean fin) {
        return RawWs.frame((fin ? 0x80 : 0) | opcode, payload, mask);
    }

    /** A connection whose connected event was read. */
    private RawWs connected() {
        RawWs ws = RawWs.open(hub.port(), "/ws");
        assertThat(ws.nextText()).contains("\"event\":\"connected\"");
        return ws;
    }

    /** Writes {@code bytes} on a fresh connection and returns the close code the server sends. */
    private int closeAfter(byte[] bytes) {
        try (RawWs ws = connected()) {
            ws.write(bytes);
            int code = ws.awaitClose();
            assertThat(ws.awaitEnd()).as("the server ends the TCP connection").isTrue();
            return code;
        }
    }
}
