"""What each case expects of the server, in Autobahn|Testsuite's terms: OK when it behaves
exactly as RFC 6455 asks, NON-STRICT when it is acceptable but not exact (it drops the TCP
connection without a close frame, or fails a connection only at the end of a bad message),
FAILED otherwise. Each check raises Verdict; a case that returns has passed."""

import socket
import struct

from wsclient import CLOSE, PING, PONG, Eof

OK, NON_STRICT, FAILED = "OK", "NON-STRICT", "FAILED"
PROTOCOL_ERROR, INVALID_PAYLOAD = 1002, 1007


class Verdict(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def failed(reason):
    raise Verdict(FAILED, reason)


def describe(payload, limit=40):
    text = repr(payload[:limit])
    return text + ("... (%d bytes)" % len(payload) if len(payload) > limit else "")


def echo(c, opcode, payload, timeout=5.0):
    """The next message is {@code payload} again, in the same frame type."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    try:
        m = c.read_message(timeout)
    except Eof:
        failed("connection closed instead of echoing %s" % describe(payload))
    except socket.timeout:
        failed("no echo of %s within %.0f s" % (describe(payload), timeout))
    if m.opcode != opcode:
        failed("expected opcode %d echo, got %r %s" % (opcode, m, describe(m.payload)))
    if m.payload != payload:
        failed("echo differs: sent %s, got %s" % (describe(payload), describe(m.payload)))


def pong(c, payload, timeout=5.0):
    """The next frame is a pong carrying {@code payload}."""
    try:
        f = c.read(timeout)
    except (Eof, socket.timeout) as e:
        failed("no pong for payload %s (%s)" % (describe(payload), type(e).__name__))
    if f.opcode != PONG or f.payload != payload:
        failed("expected pong %s, got %r %s" % (describe(payload), f, describe(f.payload)))


def silent_until_barrier(c):
    """Nothing arrives before the answer to a fresh ping: the precise way to assert absence."""
    c.send(PING, b"barrier")
    pong(c, b"barrier")


def clean_close(c, code=1000, reason=b"", expect=(1000,)):
    """Our close gets a close frame with one of {@code expect} back, then the TCP connection ends."""
    c.close(code, reason)
    closing(c, expect, "closing handshake", answer=False)


def fails(c, codes=(PROTOCOL_ERROR,), allow_pong=False):
    """The server fails the connection: a close frame with one of {@code codes}, then TCP close."""
    closing(c, codes, "failing the connection", allow_pong=allow_pong)


def closing(c, codes, what, allow_pong=False, timeout=5.0, answer=True):
    while True:
        try:
            f = c.read(timeout)
        except Eof:
            raise Verdict(NON_STRICT, "%s: TCP closed without a close frame" % what)
        except socket.timeout:
            failed("%s: the connection stayed open %.0f s" % (what, timeout))
        if f.opcode == PONG and allow_pong:
            continue
        if f.opcode != CLOSE:
            failed("%s: got %r %s instead of a close frame" % (what, f, describe(f.payload)))
        break
    code = f.close_code()
    if len(f.payload) == 1 or len(f.payload) > 125:
        failed("%s: malformed close payload %s" % (what, describe(f.payload)))
    if f.payload[2:]:
        try:
            f.payload[2:].decode("utf-8")
        except UnicodeDecodeError:
            failed("%s: close reason is not UTF-8" % what)
    try:
        if answer:
            c.close(code if code is not None else 1000)  # answer the server's close, as a client must
        while True:
            extra = c.read(timeout)
            failed("%s: frame %r after the close frame" % (what, extra))
    except Eof:
        pass
    except socket.timeout:
        failed("%s: TCP not closed %.0f s after the close handshake" % (what, timeout))
    if code not in codes:
        raise Verdict(NON_STRICT, "%s: close code %s, expected %s" % (what, code, "/".join(map(str, codes))))


def close_code_of(payload):
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
