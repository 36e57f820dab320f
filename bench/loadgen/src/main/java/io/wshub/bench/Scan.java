package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Allocation-free lookups in received JSON text: the load generator never parses whole replies. */
final class Scan {
    static final byte[] SEQNO = ascii("\"seqno\":\"");
    static final byte[] CODE = ascii("\"code\":");
    static final byte[] T = ascii("\"t\":");
    static final byte[] DELIVERED = ascii("\"delivered\":");

    private Scan() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Absolute index just past {@code pattern} in the readable bytes of {@code buf}, or -1. */
    static int after(ByteBuf buf, byte[] pattern) {
        return after(buf, pattern, buf.readerIndex());
    }

    static int after(ByteBuf buf, byte[] pattern, int from) {
        int end = buf.writerIndex() - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = from; i <= end; i++) {
            if (buf.getByte(i) != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (buf.getByte(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i + pattern.length;
        }
        return -1;
    }

    /** Index just past {@code pattern} in {@code a[from, to)}, or -1. */
    static int after(byte[] a, int from, int to, byte[] pattern) {
        for (int i = from, end = to - pattern.length; i <= end; i++) {
            if (matchesAt(a, i, pattern)) {
                return i + pattern.length;
            }
        }
        return -1;
    }

    /**
     * Index just past the last {@code pattern} in {@code a[from, to)}, or -1: replies end with
     * their seqno, so a scan from the end skips the echoed data.
     */
    static int lastAfter(byte[] a, int from, int to, byte[] pattern) {
        for (int i = to - pattern.length; i >= from; i--) {
            if (matchesAt(a, i, pattern)) {
                return i + pattern.length;
            }
        }
        return -1;
    }

    private static boolean matchesAt(byte[] a, int i, byte[] pattern) {
        for (int j = 0; j < pattern.length; j++) {
            if (a[i + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code a[from, to)} carries {@code "code":0}. */
    static boolean codeZero(byte[] a, int from, int to) {
        int at = after(a, from, to, CODE);
        return at >= 0 && digits(a, at, to) == 0;
    }

    /** Appends the decimal digits of {@code value} (non-negative) without a String. */
    static void writeDigits(ByteBuf buf, long value) {
        int len = 1;
        for (long rest = value; rest >= 10; rest /= 10) {
            len++;
        }
        buf.ensureWritable(len);
        int at = buf.writerIndex();
        for (int i = at + len - 1; i >= at; i--) {
            buf.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        buf.writerIndex(at + len);
    }

    /** Non-negative decimal at {@code a[index]} (before {@code to}), or -1 when there is no digit there. */
    static long digits(byte[] a, int index, int to) {
        long value = -1;
        for (int i = index; i < to; i++) {
            byte b = a[i];
            if (b < '0' || b > '9') {
                break;
            }
            value = (value < 0 ? 0 : value * 10) + (b - '0');
        }
        return value;
    }

    /** Non-negative decimal at {@code index}, or -1 when there is no digit there. */
    static long digits(ByteBuf buf, int index) {
        long value = -1;
        for (int i = index; i < buf.writerIndex(); i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = (value < 0 ? 0 : value * 10) + (b - '0');
        }
        return value;
    }

    /** True when the message carries {@code "code":0}. */
    static boolean codeZero(ByteBuf buf) {
        int at = after(buf, CODE);
        return at >= 0 && digits(buf, at) == 0;
    }

    static long number(ByteBuf buf, byte[] key) {
        int at = after(buf, key);
        return at < 0 ? -1 : digits(buf, at);
    }
}
