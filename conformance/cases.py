"""The cases, numbered like Autobahn|Testsuite's (1 framing, 2 pings/pongs, 3 reserved bits,
4 opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits/performance sized small,
10 misc). Compression (12, 13) is excluded: wshub does not negotiate permessage-deflate here.
Each case is a function of a fresh, upgraded client; it raises checks.Verdict or passes."""

import os
import struct
import time

from checks import (INVALID_PAYLOAD, NON_STRICT, PROTOCOL_ERROR, Verdict, clean_close, closing, echo, failed, fails,
                    pong, silent_until_barrier)
from wsclient import BINARY, CLOSE, CONT, PING, PONG, TEXT, Eof

CASES = []


def case(cid, desc):
    def register(fn):
        CASES.append((cid, desc, fn))
        return fn
    return register


def add(cid, desc, fn):
    CASES.append((cid, desc, fn))


def sizes_echo(group, opcode, kind):
    for i, n in enumerate([0, 125, 126, 127, 128, 65535, 65536], start=1):
        payload = (b"*" * n) if opcode == TEXT else bytes([0xFE]) * n

        def fn(c, payload=payload):
            c.send(opcode, payload)
            echo(c, opcode, payload)
            clean_close(c)
        add("%s.%d" % (group, i), "%s message, payload %d bytes" % (kind, n), fn)

    def chopped(c):
        payload = (b"*" if opcode == TEXT else b"\xfe") * 65536
        c.send(opcode, payload, chop=997)
        echo(c, opcode, payload)
        clean_close(c)
    add("%s.8" % group, "%s message, 65536 bytes, written in chops of 997 bytes" % kind, chopped)


# ---- 1 framing ----------------------------------------------------------------------------
sizes_echo("1.1", TEXT, "text")
sizes_echo("1.2", BINARY, "binary")

# ---- 2 pings and pongs --------------------------------------------------------------------


def ping_echo(cid, desc, payload, chop=None):
    def fn(c):
        c.send(PING, payload, chop=chop)
        pong(c, payload)
        clean_close(c)
    add(cid, desc, fn)


ping_echo("2.1", "ping without payload", b"")
ping_echo("2.2", "ping with a small text payload", "Hello, world!".encode())
ping_echo("2.3", "ping with a small binary payload", bytes([0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF]))
ping_echo("2.4", "ping with a 125-byte payload", b"\xfe" * 125)


@case("2.5", "ping with a 126-byte payload (control frames hold 125 at most)")
def _(c):
    c.send(PING, b"\xfe" * 126)
    fails(c)


ping_echo("2.6", "ping with a 125-byte payload, written 1 byte at a time", b"\xfe" * 125, chop=1)


@case("2.7", "unsolicited pong without payload: ignored")
def _(c):
    c.send(PONG)
    silent_until_barrier(c)
    clean_close(c)


@case("2.8", "unsolicited pong with payload: ignored")
def _(c):
    c.send(PONG, b"unsolicited pong payload")
    silent_until_barrier(c)
    clean_close(c)


@case("2.9", "unsolicited pong, then a ping: only the ping is answered")
def _(c):
    c.send(PONG, b"unsolicited pong payload")
    c.send(PING, b"ping payload")
    pong(c, b"ping payload")
    clean_close(c)


def ping_burst(cid, chop):
    def fn(c):
        payloads = [("payload-%d" % i).encode() for i in range(10)]
        for p in payloads:
            c.send(PING, p, chop=chop)
        for p in payloads:
            pong(c, p)
        clean_close(c)
    add(cid, "10 pings%s: 10 pongs in order" % (" written in 1-byte chops" if chop else ""), fn)


ping_burst("2.10", None)
ping_burst("2.11", 1)

# ---- 3 reserved bits (no extension was negotiated, so every RSV bit is an error) -----------


@case("3.1", "text frame with RSV = 1")
def _(c):
    c.send(TEXT, "Hello, world!", rsv=1)
    fails(c)


def rsv_after_echo(cid, rsv, chop):
    def fn(c):
        c.send(TEXT, "Hello, world!")
        c.write(c.build(TEXT, "Hello, world!", rsv=rsv) + c.build(PING, b""), chop=chop)
        echo(c, TEXT, "Hello, world!")
        fails(c)
    add(cid, "text, then text with RSV = %d and a ping%s" % (rsv, " in 1-byte chops" if chop else ""), fn)


rsv_after_echo("3.2", 2, None)
rsv_after_echo("3.3", 3, None)
rsv_after_echo("3.4", 4, 1)


@case("3.5", "binary frame with RSV = 5")
def _(c):
    c.send(BINARY, bytes(range(8)), rsv=5)
    fails(c)


@case("3.6", "ping with RSV = 6")
def _(c):
    c.send(PING, b"Hello, world!", rsv=6)
    fails(c)


@case("3.7", "close with RSV = 7")
def _(c):
    c.send(CLOSE, struct.pack("!H", 1000), rsv=7)
    fails(c)

# ---- 4 opcodes ----------------------------------------------------------------------------


def bad_opcode(cid, opcode, kind, with_payload, after_echo):
    def fn(c):
        if after_echo:
            c.send(TEXT, "Hello, world!")
        c.send(opcode, b"reserved opcode payload" if with_payload else b"")
        if after_echo:
            c.send(PING, b"")
            echo(c, TEXT, "Hello, world!")
        fails(c)
    add(cid, "reserved %s opcode %d%s%s" % (kind, opcode, " with payload" if with_payload else "",
                                          " after a text and before a ping" if after_echo else ""), fn)


for i, op in enumerate([3, 4, 5, 6, 7], start=1):
    bad_opcode("4.1.%d" % i, op, "non-control", i % 2 == 0, i >= 3)
for i, op in enumerate([11, 12, 13, 14, 15], start=1):
    bad_opcode("4.2.%d" % i, op, "control", i % 2 == 0, i >= 3)

# ---- 5 fragmentation ----------------------------------------------------------------------


@case("5.1", "ping in 2 fragments (control frames must not be fragmented)")
def _(c):
    c.send(PING, b"fragment1", fin=False)
    c.send(CONT, b"fragment2")
    fails(c)


@case("5.2", "pong in 2 fragments")
def _(c):
    c.send(PONG, b"fragment1", fin=False)
    c.send(CONT, b"fragment2")
    fails(c)


def two_fragments(cid, chop, delay):
    def fn(c):
        c.write(c.build(TEXT, b"fragment1", fin=False), chop, delay)
        c.write(c.build(CONT, b"fragment2"), chop, delay)
        echo(c, TEXT, "fragment1fragment2")
        clean_close(c)
    add(cid, "text in 2 fragments%s" % ("" if not chop else " written in %d-byte chops" % chop), fn)


two_fragments("5.3", None, 0)
two_fragments("5.4", 4, 0)
two_fragments("5.5", 1, 0.001)


def ping_between(cid, chop, delay):
    def fn(c):
        c.write(c.build(TEXT, b"fragment1", fin=False), chop, delay)
        c.write(c.build(PING, b"pongme!"), chop, delay)
        c.write(c.build(CONT, b"fragment2"), chop, delay)
        pong(c, b"pongme!")
        echo(c, TEXT, "fragment1fragment2")
        clean_close(c)
    add(cid, "text in 2 fragments, a ping between them%s" % ("" if not chop else " (%d-byte chops)" % chop), fn)


ping_between("5.6", None, 0)
ping_between("5.7", 4, 0)
ping_between("5.8", 1, 0.001)


def lone_continuation(cid, fin, chop):
    def fn(c):
        c.write(c.build(CONT, b"non-continuation payload", fin=fin) + c.build(TEXT, b"Hello, world!"), chop)
        fails(c)
    add(cid, "continuation (FIN=%d) with nothing to continue, then text%s" % (fin, " (1-byte chops)" if chop else ""), fn)


lone_continuation("5.9", True, None)
lone_continuation("5.10", True, 1)
lone_continuation("5.12", False, None)
lone_continuation("5.13", False, 1)


@case("5.15", "text in 2 fragments, then a continuation that continues nothing")
def _(c):
    c.send(TEXT, b"fragment1", fin=False)
    c.send(CONT, b"fragment2")
    c.send(CONT, b"fragment3", fin=False)
    c.send(TEXT, b"fragment4")
    echo(c, TEXT, "fragment1fragment2")
    fails(c)


@case("5.16", "continuation, then a text start, then a final continuation: the first is an error")
def _(c):
    for _ in range(2):
        c.send(CONT, b"fragment1", fin=False)
        c.send(TEXT, b"fragment2", fin=False)
        c.send(CONT, b"fragment3")
    fails(c)


@case("5.18", "a new text message while a fragmented one is open")
def _(c):
    c.send(TEXT, b"fragment1", fin=False)
    c.send(TEXT, b"fragment2")
    fails(c)


def five_fragments_two_pings(cid, chop):
    def fn(c):
        frames = [c.build(TEXT, b"fragment1", fin=False), c.build(CONT, b"fragment2", fin=False),
                  c.build(PING, b"pongme 1!"), c.build(CONT, b"fragment3", fin=False),
                  c.build(CONT, b"fragment4", fin=False), c.build(PING, b"pongme 2!"), c.build(CONT, b"fragment5")]
        for f in frames:
            c.write(f, chop)
            time.sleep(0.05)
        pong(c, b"pongme 1!")
        pong(c, b"pongme 2!")
        echo(c, TEXT, "fragment1fragment2fragment3fragment4fragment5")
        clean_close(c)
    add(cid, "text in 5 fragments sent slowly, 2 pings between%s" % (" (1-byte chops)" if chop else ""), fn)


five_fragments_two_pings("5.19", None)
five_fragments_two_pings("5.20", 1)

# ---- 6 UTF-8 ------------------------------------------------------------------------------

VALID = [
    ("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!".encode(), "Latin-1 supplement"),
    ("\u03ba\u1f79\u03c3\u03bc\u03b5".encode(), "Greek 'kosme'"),
    (b"\xf0\x9d\x84\x9e", "U+1D11E (4 bytes)"),
    (b"\x00", "U+0000"), (b"\xc2\x80", "U+0080"), (b"\xe0\xa0\x80", "U+0800"), (b"\xf0\x90\x80\x80", "U+10000"),
    (b"\x7f", "U+007F"), (b"\xdf\xbf", "U+07FF"), (b"\xef\xbf\xbf", "U+FFFF (noncharacter, valid)"),
    (b"\xf4\x8f\xbf\xbf", "U+10FFFF"), (b"\xed\x9f\xbf", "U+D7FF"), (b"\xee\x80\x80", "U+E000"),
    (b"\xef\xbf\xbe", "U+FFFE (noncharacter, valid)"),
]
INVALID = [
    (b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64", "a surrogate inside text"),
    (b"\xf8\x88\x80\x80\x80", "5-byte sequence"), (b"\xfc\x84\x80\x80\x80\x80", "6-byte sequence"),
    (b"\xf4\x90\x80\x80", "above U+10FFFF"), (b"\x80", "lone continuation byte"), (b"\xbf", "lone continuation 0xBF"),
    (b"\xc0\x20", "lone start byte then space"), (b"\xe0\x80", "truncated 3-byte sequence"),
    (b"\xc0\xaf", "overlong '/' in 2 bytes"), (b"\xe0\x80\xaf", "overlong '/' in 3 bytes"),
    (b"\xf0\x80\x80\xaf", "overlong '/' in 4 bytes"), (b"\xc1\xbf", "overlong U+007F"),
    (b"\xed\xa0\x80", "high surrogate U+D800"), (b"\xed\xbf\xbf", "low surrogate U+DFFF"),
    (b"\xed\xa0\x80\xed\xb0\x80", "surrogate pair encoded as UTF-8 (CESU)"), (b"\xfe", "byte 0xFE"), (b"\xff", "byte 0xFF"),
]


@case("6.1.1", "empty text message")
def _(c):
    c.send(TEXT, b"")
    echo(c, TEXT, b"")
    clean_close(c)


@case("6.1.2", "text in 3 empty fragments")
def _(c):
    c.send(TEXT, b"", fin=False)
    c.send(CONT, b"", fin=False)
    c.send(CONT, b"")
    echo(c, TEXT, b"")
    clean_close(c)


@case("6.1.3", "text in 3 fragments, first and last empty")
def _(c):
    c.send(TEXT, b"", fin=False)
    c.send(CONT, b"middle", fin=False)
    c.send(CONT, b"")
    echo(c, TEXT, b"middle")
    clean_close(c)


def valid_text(cid, payload, desc, split):
    def fn(c):
        if split:
            for i, b in enumerate(payload):
                c.send(TEXT if i == 0 else CONT, bytes([b]), fin=i == len(payload) - 1)
        else:
            c.send(TEXT, payload)
        echo(c, TEXT, payload)
        clean_close(c)
    add(cid, "valid UTF-8, %s%s" % (desc, ", one fragment per byte" if split else ""), fn)


def invalid_text(cid, payload, desc, split):
    def fn(c):
        if split and len(payload) > 1:
            for i, b in enumerate(payload):
                c.send(TEXT if i == 0 else CONT, bytes([b]), fin=i == len(payload) - 1)
        else:
            c.send(TEXT, payload)
        fails(c, codes=(INVALID_PAYLOAD,))
    add(cid, "invalid UTF-8, %s%s" % (desc, ", one fragment per byte" if split else ""), fn)


for i, (p, d) in enumerate(VALID, start=1):
    valid_text("6.2.%d" % i, p, d, False)
    valid_text("6.5.%d" % i, p, d, True)
for i, (p, d) in enumerate(INVALID, start=1):
    invalid_text("6.3.%d" % i, p, d, False)
    invalid_text("6.8.%d" % i, p, d, True)


@case("6.4.1", "fail fast: valid first fragment, invalid UTF-8 in the second, final fragment never sent")
def _(c):
    c.send(TEXT, "\u03ba\u1f79\u03c3\u03bc\u03b5".encode(), fin=False)
    c.send(CONT, b"\xf4\x90\x80\x80", fin=False)  # above U+10FFFF: invalid whatever follows
    fails(c, codes=(INVALID_PAYLOAD,))

# ---- 7 close handling ---------------------------------------------------------------------


@case("7.1.1", "text, then a normal close")
def _(c):
    c.send(TEXT, "Hello World!")
    echo(c, TEXT, "Hello World!")
    clean_close(c)


@case("7.1.2", "two close frames: the second is never answered")
def _(c):
    c.close(1000)
    c.close(1000)
    closing(c, (1000,), "closing handshake", answer=False)


def after_close(cid, desc, follow):
    def fn(c):
        c.close(1000)
        follow(c)
        closing(c, (1000,), "closing handshake", answer=False)
    add(cid, desc, fn)


after_close("7.1.3", "close, then a ping: not answered", lambda c: c.send(PING, b"Hello World!"))
after_close("7.1.4", "close, then text: not echoed", lambda c: c.send(TEXT, b"Hello World!"))


@case("7.1.5", "first fragment, close, then the last fragment: nothing echoed")
def _(c):
    c.send(TEXT, b"fragment1", fin=False)
    c.close(1000)
    c.send(CONT, b"fragment2")
    closing(c, (1000,), "closing handshake", answer=False)


@case("7.1.6", "10 x 64 KiB text, then a close right away: every echo, then the close")
def _(c):
    payload = b"BAsd7&jh23" * 6554
    for _ in range(10):
        c.send(TEXT, payload)
    c.close(1000)
    for _ in range(10):
        echo(c, TEXT, payload)
    closing(c, (1000,), "closing handshake", answer=False)


@case("7.3.1", "close without payload (no code)")
def _(c):
    c.send(CLOSE, b"")
    closing(c, (1000, None), "closing handshake", answer=False)


@case("7.3.2", "close with a 1-byte payload")
def _(c):
    c.send(CLOSE, b"\x03")
    fails(c)


@case("7.3.3", "close with code 1000 and no reason")
def _(c):
    clean_close(c, 1000)


@case("7.3.4", "close with code 1000 and a reason")
def _(c):
    clean_close(c, 1000, b"Hello World!")


@case("7.3.5", "close with code 1000 and a 123-byte reason")
def _(c):
    clean_close(c, 1000, b"*" * 123)


@case("7.3.6", "close with code 1000 and a 124-byte reason (payload over 125)")
def _(c):
    c.send(CLOSE, struct.pack("!H", 1000) + b"*" * 124)
    fails(c)


@case("7.5.1", "close with a reason that is not UTF-8")
def _(c):
    c.send(CLOSE, struct.pack("!H", 1000) + b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64")
    fails(c, codes=(INVALID_PAYLOAD, PROTOCOL_ERROR))


for i, code in enumerate([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999], start=1):
    def valid_code(c, code=code):
        clean_close(c, code, expect=(code, 1000))
    add("7.7.%d" % i, "close with valid code %d" % code, valid_code)

for i, code in enumerate([0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999], start=1):
    def invalid_code(c, code=code):
        c.send(CLOSE, struct.pack("!H", code))
        fails(c)
    add("7.9.%d" % i, "close with invalid code %d" % code, invalid_code)

for i, code in enumerate([5000, 65535], start=1):
    def out_of_range(c, code=code):
        c.send(CLOSE, struct.pack("!H", code))
        fails(c)
    add("7.13.%d" % i, "close with out-of-range code %d" % code, out_of_range)

# ---- 9 limits and performance (sized small: the echo allows 1 MiB messages) ----------------

KIB = 1024


def big(cid, opcode, n):
    def fn(c):
        payload = (b"*" if opcode == TEXT else b"\xfe") * n
        start = time.monotonic()
        c.send(opcode, payload)
        echo(c, opcode, payload, timeout=30)
        ms = (time.monotonic() - start) * 1000
        clean_close(c)
        return "%.1f ms round trip" % ms
    add(cid, "%s message of %d KiB" % ("text" if opcode == TEXT else "binary", n // KIB), fn)


for i, n in enumerate([64 * KIB, 256 * KIB, 512 * KIB, 1024 * KIB], start=1):
    big("9.1.%d" % i, TEXT, n)
    big("9.2.%d" % i, BINARY, n)


def fragmented(cid, opcode, fragment):
    def fn(c):
        payload = (b"*" if opcode == TEXT else b"\xfe") * (256 * KIB)
        start = time.monotonic()
        for i in range(0, len(payload), fragment):
            c.send(opcode if i == 0 else CONT, payload[i:i + fragment], fin=i + fragment >= len(payload))
        echo(c, opcode, payload, timeout=30)
        ms = (time.monotonic() - start) * 1000
        clean_close(c)
        return "%.1f ms" % ms
    add(cid, "256 KiB %s message in %d-byte fragments" % ("text" if opcode == TEXT else "binary", fragment), fn)


for i, f in enumerate([64, 256, 1 * KIB, 4 * KIB, 16 * KIB, 64 * KIB], start=1):
    fragmented("9.3.%d" % i, TEXT, f)
    fragmented("9.4.%d" % i, BINARY, f)


def chopped_writes(cid, opcode, chop):
    def fn(c):
        payload = (b"*" if opcode == TEXT else b"\xfe") * (64 * KIB)
        c.send(opcode, payload, chop=chop)
        echo(c, opcode, payload, timeout=30)
        clean_close(c)
    add(cid, "64 KiB %s message written in %d-byte chops" % ("text" if opcode == TEXT else "binary", chop), fn)


for i, ch in enumerate([64, 128, 256, 512, 1024, 2048], start=1):
    chopped_writes("9.5.%d" % i, TEXT, ch)
    chopped_writes("9.6.%d" % i, BINARY, ch)


def round_trips(cid, opcode, n):
    def fn(c):
        payload = (b"*" if opcode == TEXT else b"\xfe") * n
        start = time.monotonic()
        for _ in range(1000):
            c.send(opcode, payload)
            echo(c, opcode, payload)
        ms = (time.monotonic() - start) * 1000
        clean_close(c)
        return "1000 round trips in %.0f ms" % ms
    add(cid, "1000 sequential %d-byte %s round trips" % (n, "text" if opcode == TEXT else "binary"), fn)


for i, n in enumerate([0, 16, 64, 256, 1024, 4096], start=1):
    round_trips("9.7.%d" % i, TEXT, n)
    round_trips("9.8.%d" % i, BINARY, n)

# ---- 10 misc ------------------------------------------------------------------------------


@case("10.1.1", "64 KiB text in 1300-byte fragments, written at once")
def _(c):
    payload = b"*" * 65536
    frames = b"".join(c.build(TEXT if i == 0 else CONT, payload[i:i + 1300], fin=i + 1300 >= len(payload))
                      for i in range(0, len(payload), 1300))
    c.write(frames)
    echo(c, TEXT, payload)
    clean_close(c)


@case("10.2.1", "(wshub) a message over the server's limit closes with 1009")
def _(c):
    c.send(BINARY, os.urandom(1024 * KIB + 1))
    while True:  # the raw codec may say why in a text frame first
        try:
            f = c.read(10)
        except Eof:
            raise Verdict(NON_STRICT, "TCP closed without a close frame")
        if f.opcode == CLOSE:
            code = f.close_code()
            if code != 1009:
                raise Verdict(NON_STRICT, "close code %s, expected 1009" % code)
            return
        if f.opcode not in (TEXT,):
            failed("unexpected %r" % f)


@case("10.3.1", "unmasked client frame")
def _(c):
    c.write(c.build(TEXT, b"Hello, world!", mask=False))
    fails(c)
