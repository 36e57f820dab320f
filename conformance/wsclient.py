"""A deliberately low-level WebSocket client for the framing suite: raw sockets, frames built
by hand (any opcode, RSV bits, fragmentation, masking), writes in chops, and a reader that
reports exactly what the server sent. Python 3 standard library only."""

import base64
import hashlib
import os
import socket
import struct
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10


class Eof(Exception):
    """The server closed the TCP connection."""


class Frame:
    def __init__(self, fin, rsv, opcode, payload):
        self.fin, self.rsv, self.opcode, self.payload = fin, rsv, opcode, payload

    def close_code(self):
        return struct.unpack("!H", self.payload[:2])[0] if len(self.payload) >= 2 else None

    def __repr__(self):
        return "Frame(op=%d fin=%d rsv=%d len=%d)" % (self.opcode, self.fin, self.rsv, len(self.payload))


class Client:
    def __init__(self, host, port, path, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, host, port, key)).encode())
        head = self._read_until(b"\r\n\r\n").decode("latin-1")
        status = head.split("\r\n", 1)[0]
        if " 101 " not in status + " ":
            raise RuntimeError("upgrade refused: " + status)
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if ("sec-websocket-accept: " + accept.lower()) not in head.lower():
            raise RuntimeError("bad Sec-WebSocket-Accept in " + head)

    # ---- writing ---------------------------------------------------------------------------

    @staticmethod
    def build(opcode, payload=b"", fin=True, rsv=0, mask=True):
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
        n = len(payload)
        m = 0x80 if mask else 0
        if n <= 125:
            head += bytes([m | n])
        elif n <= 0xFFFF:
            head += bytes([m | 126]) + struct.pack("!H", n)
        else:
            head += bytes([m | 127]) + struct.pack("!Q", n)
        if not mask:
            return head + payload
        key = os.urandom(4)
        masked = bytes(b ^ key[i & 3] for i, b in enumerate(payload)) if n < 4096 else _mask_fast(payload, key)
        return head + key + masked

    def send(self, opcode, payload=b"", fin=True, rsv=0, chop=None, delay=0.0):
        self.write(self.build(opcode, payload, fin, rsv), chop, delay)

    def write(self, data, chop=None, delay=0.0):
        """Writes bytes, in pieces of {@code chop} bytes (each its own TCP write) when given."""
        try:
            if not chop:
                self.sock.sendall(data)
                return
            for i in range(0, len(data), chop):
                self.sock.sendall(data[i:i + chop])
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server failed the connection mid-write; the reader will see why

    def close(self, code=1000, reason=b""):
        self.send(CLOSE, (struct.pack("!H", code) + reason) if code is not None else b"")

    # ---- reading ---------------------------------------------------------------------------

    def _read_until(self, marker):
        while marker not in self.buf:
            self._fill()
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            raise Eof()
        self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read(self, timeout=5.0):
        """The next frame; raises Eof when the server closed TCP, socket.timeout when silent."""
        self.sock.settimeout(timeout)
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._take(8))[0]
        if b1 & 0x80:
            raise RuntimeError("server frames must not be masked (RFC 6455 5.1)")
        return Frame(b0 >> 7, (b0 >> 4) & 7, b0 & 0x0F, self._take(n))

    def read_message(self, timeout=5.0):
        """The next data message (fragments joined) as (opcode, payload); control frames are returned as they come."""
        first = self.read(timeout)
        if first.opcode >= 8 or first.fin:
            return first
        parts = [first.payload]
        while True:
            f = self.read(timeout)
            if f.opcode >= 8:
                return f  # a control frame between fragments: the caller decides
            parts.append(f.payload)
            if f.fin:
                return Frame(1, 0, first.opcode, b"".join(parts))

    def shutdown(self):
        try:
            self.sock.close()
        except OSError:
            pass


def _mask_fast(payload, key):
    n = len(payload)
    k = int.from_bytes((key * ((n + 3) // 4))[:n], "big")
    return (int.from_bytes(payload, "big") ^ k).to_bytes(n, "big")
