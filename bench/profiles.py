"""Reads the raw evidence of a bench run: JFR sample dumps (`jfr print`) and `strace -c` summaries."""
import collections
import os
import re

FRAME = re.compile(r"^\s+(.+?)\(.*\)\s+line:")
# profile.jfc samples Java code every 10 ms and threads in native code every 20 ms.
WEIGHT = {"jdk.ExecutionSample": 10, "jdk.NativeMethodSample": 20}
NATIVE = [
    ("idle (waiting in epoll_wait)", ("epollWait", "epollBusyWait")),
    ("socket write syscalls (one per flush)", ("sendAddress", "writevAddresses", "writeAddress", "sendTo",
                                               "writeAddresses", "sendmsg")),
    ("socket read syscalls", ("recvAddress", "readAddress", "recvFrom")),
    ("waking another event loop (eventfd)", ("eventFdWrite", "EpollIoHandler.wakeup")),
]
JAVA = [
    ("JSON decode (codec)", ("io.wshub.protocol.JsonWireCodec.decode", "io.wshub.bench.peer.netty.Wire.decode",
                             "io.wshub.bench.peer.netty.Wire.fields")),
    ("JSON encode (codec)", ("io.wshub.protocol.JsonWireCodec.encode", "io.wshub.protocol.JsonCodec.writeFields",
                             "io.wshub.bench.peer.netty.Wire.encode")),
    ("handler data tree / bind (Jackson databind)", ("com.fasterxml.jackson.databind",)),
    ("metrics (HubMetrics, Micrometer)", ("io.wshub.internal.HubMetrics", "io.micrometer")),
    ("auth (JWT verify)", ("io.wshub.auth",)),
    ("HTTP upgrade / handshake", ("io.wshub.internal.Upgrader", "WebSocketServerHandshaker", "HttpObjectDecoder",
                                  "HttpServerCodec")),
    ("WebSocket frame decode/encode (Netty)", ("websocketx.WebSocket08Frame",)),
    ("cross-thread writes (WriteTask, task queue)", ("AbstractChannelHandlerContext$WriteTask", "MpscUnpaddedArrayQueue",
                                                     "SingleThreadEventExecutor.execute", "Recycler")),
    ("Netty outbound path (pipeline write/flush, outbound buffer)", ("AbstractChannelHandlerContext.write",
                                                                    "AbstractChannelHandlerContext.flush",
                                                                    "AbstractChannelHandlerContext.findContextOutbound",
                                                                    "ChannelOutboundBuffer",
                                                                    "AbstractChannel$AbstractUnsafe")),
    ("walking the tag's member set (ConcurrentHashMap)", ("ConcurrentHashMap$Traverser", "ConcurrentHashMap$KeyIterator",
                                                          "ConcurrentHashMap$BaseIterator")),
    ("fan-out loop itself (RealHub.fanout)", ("io.wshub.internal.RealHub.fanout",)),
    ("buffers (allocation, copies)", ("io.netty.buffer",)),
]


def samples(path):
    """(event type, thread, frames top-first) for each sample in a `jfr print` dump."""
    kind = thread = None
    frames, in_stack = [], False
    with open(path) as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith("jdk.") and stripped.endswith("{"):
                kind, frames = stripped[:-1].strip(), []
            elif stripped.startswith("sampledThread"):
                thread = stripped.split('"')[1]
            elif "stackTrace = [" in line:
                in_stack = True
            elif in_stack and stripped == "]":
                in_stack = False
                yield kind, thread, frames
            elif in_stack:
                m = FRAME.match(line)
                if m:
                    frames.append(m.group(1))


def classify(kind, frames):
    if kind == "jdk.NativeMethodSample":
        top = frames[0] if frames else ""
        for name, keys in NATIVE:
            if any(k in top for k in keys):
                return name
        return "other native"
    for name, keys in JAVA:
        if any(k in frame for frame in frames for k in keys):
            return name
    return "other Java"


THREADS = {"wshub": "wshub-", "netty": "multiThreadIoEventLoopGroup"}


def profile(path, limit=12, threads="wshub-"):
    if not os.path.exists(path):
        return None
    busy = collections.Counter()
    top = collections.Counter()
    total = 0
    for kind, thread, frames in samples(path):
        if not thread or not thread.startswith(threads) or not frames:
            continue
        category = classify(kind, frames)
        if category.startswith("idle"):
            continue
        ms_weight = WEIGHT.get(kind, 10)
        busy[category] += ms_weight
        total += ms_weight
        if kind == "jdk.ExecutionSample":
            top[frames[0]] += ms_weight
    return total, busy.most_common(), top.most_common(limit)


def strace_calls(path):
    """Total calls of the traced syscalls in an `strace -c` summary, or None."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts and parts[-1] == "total":
                return int(parts[3]) if len(parts) >= 5 else None
    return None
