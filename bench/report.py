#!/usr/bin/env python3
"""Renders docs/BENCHMARKS.md from one bench/run.sh results directory (no figure is typed in by hand)."""
import json
import os
import sys

from profiles import THREADS, profile, strace_calls

SERVERS = ["wshub", "netty", "node-ws", "socketio", "spring"]
LABELS = {
    "wshub": "wshub (embedded, bench app)",
    "netty": "raw Netty 4.2.18 + Jackson",
    "node-ws": "Node.js ws 8.23.0",
    "socketio": "Socket.IO 4.8.4 (websocket only)",
    "spring": "Spring Boot 3.5.16 WebSocket (Tomcat)",
    "wshub-cluster": "wshub x2 nodes + Redis",
    "wshub-redis2": "wshub x2 nodes + 2 Redis shards",
    "wshub-redis4": "wshub x2 nodes + 4 Redis shards",
    "wshub-rediscluster": "wshub x2 nodes + Redis Cluster (3 masters + 3 replicas)",
    "wshub-nats": "wshub x2 nodes + NATS (presence in Redis)",
    "netty-fc": "raw Netty + FlushConsolidationHandler (experiment)",
    "wshub-x4": "wshub (experiment)",
    "wshub-w16": "wshub, 16 unanswered (experiment)",
    "wshub-parallel": "wshub on the Parallel GC (experiment)",
    "node-ws-x4": "Node.js ws 8.23.0 (experiment)",
    "node-ws-w16": "Node.js ws 8.23.0, 16 unanswered (experiment)",
    "socketio-x4": "Socket.IO 4.8.4 (experiment)",
    "socketio-w16": "Socket.IO 4.8.4, 16 unanswered (experiment)",
}
FANOUT = ["f-wshub", "f-wshub-nohold", "f-wshub-window", "f-wshub-parallel", "f-wshub-parallel-window",
          "f-node-ws", "f-gorilla", "f-centrifugo", "f-ceiling"]
LABELS.update({
    "f-wshub": "wshub, defaults (automatic write window)",
    "f-wshub-nohold": "wshub, never hold (--write-delay 0)",
    "f-wshub-window": "wshub, window on (--write-delay-max)",
    "f-wshub-parallel": "wshub, defaults, -XX:+UseParallelGC",
    "f-wshub-parallel-window": "wshub, window on, -XX:+UseParallelGC",
    "f-node-ws": "Node.js ws 8.23.0",
    "f-gorilla": "gorilla/websocket 1.5.3 hub (Go, the seeds' shape)",
    "f-centrifugo": "Centrifugo 6.9.1 (JSON protocol)",
    "f-ceiling": "C ceiling (epoll, one write() per member)",
})
LABELS.update({
    "wshub-before": "wshub, 2 event loops on the core, no window (before)",
    "wshub-window": "wshub, window on (--write-delay-max)",
})
# Where a sample's stack says the time goes (first match wins, checked on the whole stack).
ASPROF_BUCKETS = [
    ("write syscalls (writev/write, kernel TCP included)", ("writevAddresses", "FileDescriptor.write", "sys_writev", "vfs_writev")),
    ("waiting in epoll", ("epollWait", "epoll_wait", "epollBusyWait")),
    ("encoding a broadcast", ("WireFrame", "JsonOut", "JsonCodec.encode")),
    ("fan-out hand-offs and flush bookkeeping", ("Fanout", "LoopFlusher")),
    ("reading inbound frames and HTTP requests", ("epollInReady",)),
    ("other event-loop tasks (task queue, timers)", ("runAllTasks", "SingleThreadEventExecutor")),
    ("GC", ("G1", "GCTask", "ParallelGC", "ConcurrentGCThread")),
    ("JIT compiler", ("C2Compiler", "CompileBroker", "Compile::")),
]
EXPERIMENTS = ["wshub-x4", "wshub-w16", "wshub-parallel", "node-ws-x4", "node-ws-w16", "socketio-x4", "socketio-w16"]
WINDOW_PAIRS = [(s, s.removesuffix("-x4") + "-w16") for s in EXPERIMENTS if s.endswith("-x4")]


def throughput(r):
    return r.get("rps") or r.get("deliveries_per_s") or 0


def median_row(rs):
    """The run with the median throughput of several runs of one row, with "runs" and "spread" (every
    run's figure) added; failures of every run count."""
    rs = sorted(rs, key=throughput)
    median = dict(rs[len(rs) // 2])
    median["runs"] = len(rs)
    median["spread"] = [throughput(r) for r in rs]
    for key in ("failed", "errors", "drops", "missing", "timeouts", "publish_errors"):
        if any(r.get(key) for r in rs):
            median[key] = sum(r.get(key) or 0 for r in rs)
    return median


def median_passes(rows):
    """Rows of several passes (a "rep" field: the echo passes) become their median pass; other rows stay."""
    out, passes = [], {}
    for r in rows:
        if r.get("rep") is None:
            out.append(r)
        else:
            passes.setdefault((r.get("server"), r.get("scenario"), r.get("mode")), []).append(r)
    return out + [median_row(rs) for rs in passes.values()]


def load(results_dir):
    rows = []
    path = os.path.join(results_dir, "results.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    # A phase re-run into the same directory (BENCH_PHASES) replaces that phase's earlier rows.
    latest = {}
    for r in rows:
        latest[(r.get("server"), r.get("scenario"), r.get("mode"), r.get("rep"))] = r
    rows = median_passes(list(latest.values()))
    machine = {}
    machine_path = os.path.join(results_dir, "machine.txt")
    with open(machine_path) if os.path.exists(machine_path) else open(os.devnull) as f:
        for line in f:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                machine[key] = machine[key] + "; " + value if key in machine else value
    return rows, machine


def load_fanout(results_dir, prefix="fanout"):
    """The fan-out rows of every repetition (<prefix>-<n>.jsonl); per row the run with the median deliveries/s."""
    runs = {}
    for name in sorted(os.listdir(results_dir)) if os.path.isdir(results_dir) else []:
        if name.startswith(prefix + "-") and name.endswith(".jsonl"):
            with open(os.path.join(results_dir, name)) as f:
                for line in f:
                    if line.strip():
                        r = json.loads(line)
                        runs.setdefault((r.get("server"), r.get("mode"), r.get("subs")), []).append(r)
    rows = [median_row(rs) for rs in runs.values()]
    settings = {}
    path = os.path.join(results_dir, "fanout.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                for item in line.split():
                    if "=" in item:
                        k, v = item.split("=", 1)
                        settings[k] = v
    return rows, settings


def fanout_pick(rows, server, mode, subs):
    for r in rows:
        if r.get("server") == server and r.get("mode") == mode and r.get("subs") == subs:
            return r
    return None


def fanout_section(rows, settings):
    subs_list = sorted({r["subs"] for r in rows})
    lines = []
    for subs in subs_list:
        for mode in ("ws", "http"):
            node = fanout_pick(rows, "f-node-ws", mode, subs)
            cent = fanout_pick(rows, "f-centrifugo", mode, subs)
            for s in FANOUT:
                r = fanout_pick(rows, s, mode, subs)
                if r is None:
                    continue
                publisher = "WebSocket" if mode == "ws" else "HTTP"
                lines.append([LABELS[s], f"{subs:,}", publisher, r["runs"],
                              f"{r['delivered']:,} / {r['expected']:,}", num(r.get("deliveries_per_s")),
                              fmt_ratio(ratio(r.get("deliveries_per_s"), node and node.get("deliveries_per_s"))),
                              fmt_ratio(ratio(r.get("deliveries_per_s"), cent and cent.get("deliveries_per_s"))),
                              num(r.get("server_cpu_pct"), "%"), num(r.get("per_server_cpu_s")),
                              ms(r.get("p50_us")), ms(r.get("p99_us")), ", ".join(problems(r)) or "none"])
    return table(["server", "subscribers", "published over", "runs", "delivered", "deliveries/s (median)",
                  "vs Node ws", "vs Centrifugo", "server CPU", "deliveries / server CPU-s", "p50", "p99", "errors"], lines)


IOURING = ["f-netty-epoll", "f-netty-uring", "f-netty-epoll-fc", "f-netty-uring-fc"]
LABELS.update({
    "f-netty-epoll": "raw Netty, epoll, a flush per message",
    "f-netty-uring": "raw Netty, io_uring, a flush per message",
    "f-netty-epoll-fc": "raw Netty, epoll, FlushConsolidationHandler",
    "f-netty-uring-fc": "raw Netty, io_uring, FlushConsolidationHandler",
})


def iouring_section(rows):
    """The io_uring rows beside their epoll twin (same flush policy, same subscribers)."""
    lines = []
    for subs in sorted({r["subs"] for r in rows}):
        for s in IOURING:
            r = fanout_pick(rows, s, "ws", subs)
            if r is None:
                continue
            twin = fanout_pick(rows, s.replace("uring", "epoll"), "ws", subs)
            lines.append([LABELS[s], f"{subs:,}", r["runs"], f"{r['delivered']:,} / {r['expected']:,}",
                          num(r.get("deliveries_per_s")), ", ".join(num(x) for x in r["spread"]),
                          fmt_ratio(ratio(r.get("deliveries_per_s"), twin and twin.get("deliveries_per_s"))),
                          num(r.get("server_cpu_pct"), "%"), num(r.get("per_server_cpu_s")),
                          ms(r.get("p50_us")), ms(r.get("p99_us")), ", ".join(problems(r)) or "none"])
    return table(["server", "subscribers", "runs", "delivered", "deliveries/s (median)", "runs' deliveries/s",
                  "vs epoll", "server CPU", "deliveries / server CPU-s", "p50", "p99", "errors"], lines)


def fanout_targets(rows):
    out = []
    for subs in sorted({r["subs"] for r in rows}):
        for mode in ("ws", "http"):
            get = lambda s: fanout_pick(rows, s, mode, subs)
            w, ww, node, cent, ceil = get("f-wshub"), get("f-wshub-window"), get("f-node-ws"), get("f-centrifugo"), get("f-ceiling")
            wp, wpw = get("f-wshub-parallel"), get("f-wshub-parallel-window")
            where = f"{subs:,} subscribers, {'WebSocket' if mode == 'ws' else 'HTTP'}-published"
            for name, a, b, want, key in (("wshub >= 3x Node ws", w, node, 3, "deliveries_per_s"),
                                          ("wshub >= 2x Centrifugo", w, cent, 2, "deliveries_per_s"),
                                          ("wshub, window on >= 6x Node ws", ww, node, 6, "deliveries_per_s"),
                                          ("wshub, Parallel GC >= 3x Node ws", wp, node, 3, "deliveries_per_s"),
                                          ("wshub, Parallel GC >= 2x Centrifugo", wp, cent, 2, "deliveries_per_s"),
                                          ("wshub, window on, Parallel GC >= 6x Node ws", wpw, node, 6, "deliveries_per_s"),
                                          ("wshub per CPU-s >= 0.5x the C ceiling", w, ceil, 0.5, "per_server_cpu_s")):
                x = ratio(a and a.get(key), b and b.get(key))
                out.append([f"{name} ({where})", fmt_ratio(x), "n/a" if x is None else ("yes" if x >= want else "**no**")])
    return table(["target", "measured", "met"], out)


def pick(rows, server, scenario, mode=None):
    for r in rows:
        if r.get("server") == server and r.get("scenario") == scenario and (mode is None or r.get("mode") == mode):
            return r
    return None


def num(value, unit=""):
    if value is None or value == "":
        return "n/a"
    if isinstance(value, (int, float)):
        if abs(value) >= 10000:
            return f"{value:,.0f}{unit}"
        if isinstance(value, float):
            return f"{value:.2f}{unit}"
        return f"{value}{unit}"
    return str(value)


def kib(value):
    return "n/a" if value is None else f"{value / 1024:.1f} KiB"


def ms(us):
    return "n/a" if us is None else f"{us / 1000:.2f} ms"


def ratio(a, b):
    if not a or not b:
        return None
    return a / b


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}x"


def problems(r):
    """Every failure a scenario row records: errors, drops, failed connects, missing deliveries, timeouts."""
    if r is None:
        return ["no result"]
    out = []
    for key in ("failed", "errors", "drops", "missing", "timeouts", "publish_errors"):
        if r.get(key):
            out.append(f"{key}={r[key]}")
    if r.get("status"):
        out.append(r["status"])
    return out


def table(header, lines):
    text = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    for line in lines:
        text += "| " + " | ".join(str(c) for c in line) + " |\n"
    return text


def connect_section(rows):
    lines = []
    for s in SERVERS:
        r = pick(rows, s, "connect")
        if not r:
            continue
        lines.append([LABELS[s], f"{r['ok']:,} / {r['conns']:,}", num(r.get("handshakes_per_s")),
                      kib(memory_per_conn(r)), kib(r.get("rss_per_conn_b")), kib(r.get("heap_per_conn_b")),
                      f"{r.get('rss_before_kib', 0) // 1024} -> {r.get('rss_after_kib', 0) // 1024} MiB",
                      ", ".join(problems(r)) or "none"])
    return table(["server", "connected", "handshakes/s", "memory / conn", "RSS growth / conn",
                  "heap growth / conn (after GC)", "server RSS", "errors"], lines)


def memory_per_conn(r):
    """RSS growth plus, for JVMs (heap pre-touched, so RSS growth is off-heap), heap growth after GC."""
    rss = r.get("rss_per_conn_b")
    if rss is None:
        return None
    return max(rss, 0) + max(r.get("heap_per_conn_b") or 0, 0)


def echo_section(rows, servers=SERVERS):
    lines = []
    for s in servers:
        r = pick(rows, s, "echo")
        if not r:
            continue
        lines.append([LABELS[s], f"{r['conns']} x {r['inflight']}", r.get("runs", 1), num(r.get("rps")),
                      " / ".join(num(x) for x in r.get("spread", [r.get("rps")])),
                      num(r.get("server_cpu_pct"), "%"), num(r.get("loadgen_cpu_pct"), "%"),
                      num(r.get("per_server_cpu_s")),
                      ms(r.get("p50_us")), ms(r.get("p99_us")), ms(r.get("p999_us")),
                      ", ".join(problems(r)) or "none"])
    return table(["server", "conns x in flight", "passes", "requests/s (median pass)", "every pass's requests/s",
                  "server CPU", "load generator CPU", "requests / server CPU-s",
                  "p50", "p99", "p99.9", "errors"], lines)


def broadcast_section(rows, servers=SERVERS, modes=("ws", "http")):
    lines = []
    for s in servers:
        for r in rows:
            if r.get("server") != s or r.get("scenario") != "broadcast" or r.get("mode") not in modes:
                continue
            publisher = "WebSocket `broadcast` event" if r["mode"] == "ws" else "HTTP `POST /api/send/tag/room`"
            lines.append([LABELS[s], publisher, r.get("window", 4), f"{r['subs']:,}", r["messages"],
                          f"{r['delivered']:,} / {r['expected']:,}", num(r.get("deliveries_per_s")),
                          num(r.get("server_cpu_pct"), "%"), num(r.get("loadgen_cpu_pct"), "%"),
                          num(r.get("per_server_cpu_s")),
                          ms(r.get("p50_us")), ms(r.get("p99_us")), ", ".join(problems(r)) or "none"])
    return table(["server", "published with", "unanswered", "subscribers", "messages", "delivered", "deliveries/s",
                  "server CPU", "load generator CPU", "deliveries / server CPU-s", "p50", "p99", "errors"], lines)


def cluster_section(rows):
    found = [r for r in rows if r.get("server") == "wshub-cluster"]
    if not found:
        return "The cluster scenario did not run.\n"
    lines = []
    for r in found:
        if r.get("status"):
            lines.append([r["scenario"], r["status"], "", "", "", "", ""])
            continue
        what = "tag broadcast via node A's HTTP API" if r["scenario"] == "cluster-broadcast" \
            else "user-send via node A's HTTP API to users on node B"
        lines.append([what, f"{r['subs']:,} ({r.get('delivered_per_worker', '')} on A,B)",
                      f"{r['delivered']:,} / {r['expected']:,}", num(r.get("deliveries_per_s")),
                      ms(r.get("p50_us")), ms(r.get("p99_us")), ", ".join(problems(r)) or "none"])
    return table(["scenario", "subscribers (delivered per node)", "delivered", "deliveries/s", "p50", "p99",
                  "errors"], lines)


ENGINES = (("wshub-cluster", "1 Redis"), ("wshub-redis2", "2 Redis shards"), ("wshub-redis4", "4 Redis shards"),
           ("wshub-rediscluster", "Redis Cluster, 3 masters + 3 replicas"),
           ("wshub-nats", "NATS + 1 Redis for presence"))


def engines_section(rows):
    """The cluster scenario over every engine: deliveries/s, p99 and CPU per delivery of nodes and engine."""
    lines = []
    for server, label in ENGINES:
        for r in [r for r in rows if r.get("server") == server]:
            if r.get("status"):
                lines.append([label, r["scenario"], r["status"], "", "", "", "", "", ""])
                continue
            what = "tag broadcast" if r["scenario"] == "cluster-broadcast" else "user sends to node B"
            lines.append([label, what, f"{r['delivered']:,} / {r['expected']:,}", num(r.get("deliveries_per_s")),
                          ms(r.get("p50_us")), ms(r.get("p99_us")),
                          num(r.get("engine_us_per_delivery"), " us"), num(r.get("nodes_us_per_delivery"), " us"),
                          ", ".join(problems(r)) or "none"])
    if not lines:
        return "The engines scenario did not run.\n"
    return table(["engine", "sends", "delivered", "deliveries/s", "p50", "p99", "engine CPU / delivery",
                  "nodes CPU / delivery", "errors"], lines)


ENGINES_HEADING = "## cluster engines: one Redis, Redis shards, NATS"


def engines_report(rows, machine, standalone):
    """The engines section; standalone when it was measured apart from the rest of the page."""
    out = ["\n" + ENGINES_HEADING + "\n",
           "The cluster scenario over each engine (`bench/run.sh` phases `cluster` and `engines`): the "
           "engine's processes (every `redis-server`, the `nats-server`) and both nodes share the server "
           "core, the load generator has the other. CPU per delivery divides the CPU the engine's processes "
           "(or both nodes) used during the round by the deliveries to clients: a tag broadcast crosses the "
           "engine once per message and fans out on the nodes, a user send crosses it once per delivery.\n"]
    if standalone:
        out.append(f"These rows come from a separate run: {machine.get('rerun', 'unknown')}; the load average "
                   "counts the other builds and tests sharing this 2-core machine, so absolute figures are low "
                   "and noisy: compare the rows with each other, not with the sections above.\n")
    out.append(engines_section(rows))
    return "\n".join(out)


def replace_engines_section(path, text):
    """Puts {text} in place of the engines section of the page at {path} (before JMH when new)."""
    with open(path) as f:
        page = f.read()
    start = page.find("\n" + ENGINES_HEADING)
    if start >= 0:
        end = page.find("\n## ", start + 1)
        page = page[:start] + text + (page[end:] if end >= 0 else "\n")
    else:
        jmh = page.find("\n## JMH")
        page = page[:jmh] + text + page[jmh:] if jmh >= 0 else page + text
    with open(path, "w") as f:
        f.write(page)


def targets(rows):
    """(name, measured text, met) for every target of issue 6."""
    out = []
    echo = {s: (pick(rows, s, "echo") or {}).get("rps") for s in SERVERS}
    echo_cpu = {s: (pick(rows, s, "echo") or {}).get("per_server_cpu_s") for s in SERVERS}
    bc = {s: (pick(rows, s, "broadcast", "ws") or {}).get("deliveries_per_s") for s in SERVERS}
    for peer, want in (("netty", 0.7), ("node-ws", 4.0)):
        x = ratio(echo["wshub"], echo[peer])
        y = ratio(echo_cpu["wshub"], echo_cpu[peer])
        out.append((f"echo requests/s >= {want}x {LABELS[peer]}",
                    f"{fmt_ratio(x)} (per server CPU-s: {fmt_ratio(y)})", x is not None and x >= want))
    for peer, want in (("node-ws", 3.0), ("socketio", 10.0), ("spring", 2.0)):
        x = ratio(bc["wshub"], bc[peer])
        out.append((f"broadcast deliveries/s >= {want}x {LABELS[peer]}", fmt_ratio(x), x is not None and x >= want))
    conn = pick(rows, "wshub", "connect") or {}
    total = memory_per_conn(conn) if conn else None
    out.append(("memory growth per idle authenticated connection < 4 KiB",
                f"{kib(total)} (off-heap RSS {kib(conn.get('rss_per_conn_b'))} + heap {kib(conn.get('heap_per_conn_b'))})",
                total is not None and total < 4096))
    wshub_rows = [r for r in rows if r.get("server") == "wshub"]
    bad = [f"{r['scenario']}/{r.get('mode', '')}: {', '.join(problems(r))}" for r in wshub_rows if problems(r)]
    out.append(("zero errors, zero dropped connections (wshub)", "; ".join(bad) or "none",
                bool(wshub_rows) and not bad))
    return out


def ratios_section(rows):
    lines = []
    w_echo = pick(rows, "wshub", "echo") or {}
    w_bc = pick(rows, "wshub", "broadcast", "ws") or {}
    w_conn = pick(rows, "wshub", "connect") or {}
    for s in SERVERS[1:]:
        e = pick(rows, s, "echo") or {}
        b = pick(rows, s, "broadcast", "ws") or {}
        c = pick(rows, s, "connect") or {}
        lines.append([LABELS[s],
                      fmt_ratio(ratio(w_echo.get("rps"), e.get("rps"))),
                      fmt_ratio(ratio(w_echo.get("per_server_cpu_s"), e.get("per_server_cpu_s"))),
                      fmt_ratio(ratio(w_bc.get("deliveries_per_s"), b.get("deliveries_per_s"))),
                      fmt_ratio(ratio(w_bc.get("per_server_cpu_s"), b.get("per_server_cpu_s"))),
                      fmt_ratio(ratio(w_conn.get("handshakes_per_s"), c.get("handshakes_per_s"))),
                      fmt_ratio(ratio(memory_per_conn(c), memory_per_conn(w_conn)))])
    return table(["wshub vs", "echo req/s", "echo req / CPU-s", "broadcast deliveries/s",
                  "broadcast deliveries / CPU-s", "handshakes/s", "memory per conn (peer / wshub)"], lines)


def profile_ops(results_dir, server, scenario):
    """Requests (echo) or deliveries (broadcast) the profiled pass completed, from profile.jsonl."""
    path = os.path.join(results_dir, "profile.jsonl")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r.get("server") == f"{server}-profile" and r.get("scenario") == scenario:
                return r.get("requests") if scenario == "echo" else r.get("delivered")
    return None


def profile_section(results_dir):
    out = []
    for name, what, unit in (("echo", "the echo pass", "request"),
                             ("broadcast", "the broadcast pass (10,000 subscribers)", "delivery")):
        profs = {srv: profile(os.path.join(results_dir, f"{srv}-{name}-samples.txt"), threads=THREADS[srv])
                 for srv in ("wshub", "netty")}
        ops = {srv: profile_ops(results_dir, srv, name) for srv in profs}
        wshub = profs["wshub"]
        if not wshub or not wshub[0]:
            continue
        total, busy, top = wshub
        out.append(f"\n### Where the event loops spend their time: {what}\n")
        out.append(f"JFR (`settings=profile`) on the wshub bench app and, for comparison, the raw Netty peer, "
                   f"each during {what} after a warm-up pass of the same kind. Samples of the event-loop threads, "
                   f"idle time in `epoll_wait` left out, Java samples weighted 10 ms and native samples 20 ms "
                   f"(their sampling periods; a thread in native code is sampled even while it waits for the "
                   f"core, so native rows are upper bounds). A sample counts in the first category of the list that any of "
                   f"its frames matches. \"per {unit}\" divides by the {unit} count of the profiled pass "
                   f"(wshub: {num(ops['wshub'])}, raw Netty: {num(ops['netty'])}); the broadcast pass also "
                   f"includes its 10,000 handshakes and joins.\n")
        netty = profs["netty"] or (0, [], [])
        netty_busy = dict(netty[1])
        rows = []
        cats = [c for c, _ in busy] + [c for c in netty_busy if c not in dict(busy)]
        per = lambda v, n: "n/a" if not n else f"{v * 1000.0 / n:.2f} us"
        for c in cats:
            v = dict(busy).get(c, 0)
            rows.append([c, f"{v / 1000:.2f} s", f"{100 * v / total:.1f}%", per(v, ops["wshub"]),
                         per(netty_busy.get(c, 0), ops["netty"])])
        rows.append(["**total busy**", f"{total / 1000:.2f} s", "100%", per(total, ops["wshub"]),
                     per(netty[0], ops["netty"])])
        out.append(table(["category", "wshub busy time", "wshub share", f"wshub per {unit}",
                          f"raw Netty per {unit}"], rows))
        out.append("\nwshub's top Java frames (self time):\n")
        out.append(table(["busy time", "share", "frame"],
                         [[f"{v / 1000:.2f} s", f"{100 * v / total:.1f}%", f"`{f}`"] for f, v in top]))
    return "\n".join(out)


def strace_sentence(results_dir):
    path = os.path.join(results_dir, "syscalls.jsonl")
    if not os.path.exists(path):
        return ""
    per = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            calls = strace_calls(os.path.join(results_dir, f"{r['server']}-strace.txt"))
            if calls and r.get("delivered"):
                per[r["server"]] = calls / r["delivered"]
    if not {"wshub", "netty", "netty-fc"} <= per.keys():
        return ""
    return (f" strace agrees: {per['wshub']:.2f} write syscalls per delivery for wshub, {per['netty']:.2f} for "
            f"raw Netty, {per['netty-fc']:.2f} for raw Netty with `FlushConsolidationHandler(256, true)` "
            f"(table above).")


def per_op_diff(results_dir, name):
    """((wshub us/op, netty us/op), three categories where wshub spends the most more per op)."""
    w = profile(os.path.join(results_dir, f"wshub-{name}-samples.txt"), threads=THREADS["wshub"])
    n = profile(os.path.join(results_dir, f"netty-{name}-samples.txt"), threads=THREADS["netty"])
    wo, no = profile_ops(results_dir, "wshub", name), profile_ops(results_dir, "netty", name)
    if not w or not n or not wo or not no or not w[0] or not n[0]:
        return None
    nd = dict(n[1])
    diffs = sorted(((c, v * 1000.0 / wo - nd.get(c, 0) * 1000.0 / no) for c, v in w[1]), key=lambda x: -x[1])
    return (w[0] * 1000.0 / wo, n[0] * 1000.0 / no), [d for d in diffs[:3] if d[1] > 0]


MEMBER_SET = "walking the tag's member set (ConcurrentHashMap)"


def shares(results_dir, name):
    prof = profile(os.path.join(results_dir, f"wshub-{name}-samples.txt"))
    if not prof or not prof[0]:
        return {}
    total, busy, _ = prof
    return {c: 100.0 * v / total for c, v in busy}


def per_cpu_ratios(rows, wb):
    """wshub's broadcast deliveries per server CPU-second against Node ws and Socket.IO, in words."""
    parts = []
    for peer in ("node-ws", "socketio"):
        pb = pick(rows, peer, "broadcast", "ws")
        if pb:
            parts.append(f"{fmt_ratio(ratio(wb.get('per_server_cpu_s'), pb.get('per_server_cpu_s')))} {LABELS[peer]}")
    return "wshub delivers " + " and ".join(parts) + " per server CPU-second" if parts else "n/a"


def experiment_sentences(rows):
    """What the broadcast experiments show, computed from this run."""
    out = []
    rate = {s: (pick(rows, s, "broadcast", "ws") or {}).get("deliveries_per_s") for s in LABELS}
    gains = [f"{LABELS[base]} {fmt_ratio(ratio(rate[w16], rate[base]))}" for base, w16 in WINDOW_PAIRS
             if rate[base] and rate[w16]]
    if gains:
        out.append("- **16 unanswered instead of 4** changes deliveries/s by: " + ", ".join(gains) + ". wshub "
                   "flushes each member once per event-loop pass, so messages that arrive together leave in one "
                   "syscall. Latency grows with the window on every server: messages wait behind each other.")
        peers = [f"{fmt_ratio(ratio(rate['wshub-w16'], rate[p]))} {LABELS[p.removesuffix('-w16')]}"
                 for p in ("node-ws-w16", "socketio-w16") if rate["wshub-w16"] and rate[p]]
        if peers:
            out.append("- **With 16 unanswered on every server** wshub delivers " + " and ".join(peers) + ".")
    if rate["wshub-x4"] and rate["wshub-parallel"]:
        out.append(f"- **Parallel GC instead of G1:** {fmt_ratio(ratio(rate['wshub-parallel'], rate['wshub-x4']))} "
                   f"deliveries/s. Each delivery stores references into long-lived Netty objects (the "
                   f"connection's outbound buffer and its pooled entries); G1 follows such stores up with card "
                   f"refinement, on its `G1 Refine` threads and on the event loops themselves (`perf record -g` "
                   f"on the server shows both). The Parallel collector's barrier is one store. For "
                   f"broadcast-heavy nodes see README \"Tuning\".")
    return "\n".join(out) + "\n"


def findings(rows, results_dir):
    """Observations computed from this run's figures and profiles (the wording is fixed, the numbers are not)."""
    out = []
    echo_share, bc_share = shares(results_dir, "echo"), shares(results_dir, "broadcast")
    writes = "socket write syscalls (one per flush)"
    cross = ("cross-thread writes (WriteTask, task queue)", "waking another event loop (eventfd)")
    if bc_share:
        out.append(f"- **Broadcast writes.** wshub queues a broadcast unflushed and flushes each member once per "
                   f"event-loop pass (`LoopFlusher`), so messages that reach a member within one pass share a "
                   f"syscall; replies made while a connection is reading are coalesced by "
                   f"`FlushConsolidationHandler`. Write syscalls are still {bc_share.get(writes, 0):.0f}% of the "
                   f"event loops' busy time in the broadcast pass (on loopback the kernel also does the "
                   f"receiver's TCP work inside the sender's syscall)."
                   + strace_sentence(results_dir))
    nb, fb = pick(rows, "netty", "broadcast", "ws"), pick(rows, "netty-fc", "broadcast", "ws")
    ne, fe = pick(rows, "netty", "echo"), pick(rows, "netty-fc", "echo")
    if nb and fb:
        out.append(f"- **What coalescing buys, measured on the raw Netty peer:** with `FlushConsolidationHandler` "
                   f"its deliveries per server CPU-second changed by "
                   f"{fmt_ratio(ratio(fb.get('per_server_cpu_s'), nb.get('per_server_cpu_s')))} and its echo "
                   f"requests per server CPU-second by "
                   f"{fmt_ratio(ratio((fe or {}).get('per_server_cpu_s'), (ne or {}).get('per_server_cpu_s')))} "
                   f"(experiment table above).")
    if bc_share:
        out.append(f"- **Fan-out.** `Fanout` hands each event loop one task for all of its members, and every "
                   f"member gets the same pre-built frame (`WireFrame`), written below Netty's frame encoder: "
                   f"cross-thread hand-off and wake-ups are {sum(bc_share.get(c, 0) for c in cross):.0f}% of the "
                   f"broadcast pass, Netty's per-member outbound path "
                   f"{bc_share.get('Netty outbound path (pipeline write/flush, outbound buffer)', 0):.0f}%, walking the "
                   f"member set {bc_share.get(MEMBER_SET, 0):.0f}%.")
    echo_diff = per_op_diff(results_dir, "echo")
    if echo_diff:
        (w_total, n_total), top3 = echo_diff
        parts = ", ".join(f"{c} +{d:.2f} us" for c, d in top3)
        out.append(f"- **Echo: {w_total:.2f} us of event-loop time per request against raw Netty's "
                   f"{n_total:.2f} us.** The largest differences by category (profile tables below): {parts}. "
                   f"JFR counts a thread that is in native code even while it waits for the core (two event "
                   f"loops share one core here), so the syscall rows are upper bounds; the Java rows are not.")
    if echo_share:
        json_share = echo_share.get("JSON decode (codec)", 0) + echo_share.get("JSON encode (codec)", 0)
        out.append(f"- **JSON and metrics.** Decode plus encode are {json_share:.0f}% of wshub's echo pass; "
                   f"metrics (a counter and a timer per message) "
                   f"{echo_share.get('metrics (HubMetrics, Micrometer)', 0):.0f}%. The JMH table gives per-call "
                   f"costs.")
    peers = [s for s in SERVERS[1:] if pick(rows, s, "broadcast", "ws")]
    w = pick(rows, "wshub", "broadcast", "ws")
    if w and peers:
        rs = [ratio(w.get("per_server_cpu_s"), pick(rows, s, "broadcast", "ws").get("per_server_cpu_s")) for s in peers]
        rs = [x for x in rs if x]
        if rs and bc_share.get(writes, 0) >= 30:
            out.append(f"- **Broadcast is syscall-bound for everyone.** Per server CPU-second wshub delivers "
                       f"{min(rs):.2f}x to {max(rs):.2f}x what the peers deliver. Write syscalls dominate every "
                       f"server's broadcast cost, so what is left to gain is fewer syscalls per delivery (above) "
                       f"and, on G1, less write-barrier work (experiment above), not a faster encoder: wshub "
                       f"already encodes once.")
    ne_rps, node_rps = (pick(rows, "netty", "echo") or {}).get("rps"), (pick(rows, "node-ws", "echo") or {}).get("rps")
    ceiling = ratio(ne_rps, node_rps)
    if ceiling and ceiling < 4.0:
        out.append(f"- **The echo target of 4x Node ws is above this stack's ceiling here:** raw Netty with no "
                   f"framework, the ceiling of wshub's stack, reaches {fmt_ratio(ceiling)} Node ws in this run.")
    wb = pick(rows, "wshub", "broadcast", "ws") or {}
    if (wb.get("loadgen_cpu_pct") or 0) >= 90:
        wants = []
        for peer, times in (("node-ws", 3), ("socketio", 10)):
            pb = pick(rows, peer, "broadcast", "ws")
            if pb and pb.get("deliveries_per_s"):
                wants.append(f"{times}x {LABELS[peer]} would be {num(times * pb['deliveries_per_s'])}/s")
        out.append(f"- **wshub's broadcast is near the one-core load generator's limit** (load generator at "
                   f"{wb.get('loadgen_cpu_pct')}% CPU, server at {wb.get('server_cpu_pct')}%): every delivery must be "
                   f"read by it, so about {num(wb.get('deliveries_per_s'))} deliveries/s is the most this machine "
                   f"can show; " + "; ".join(wants) + ". The per-server-CPU-second column compares the servers' "
                   f"own costs: " + per_cpu_ratios(rows, wb) + ".")
    conn, nconn = pick(rows, "wshub", "connect"), pick(rows, "netty", "connect")
    if conn and nconn:
        out.append(f"- **Memory per connection.** wshub holds {kib(memory_per_conn(conn))} per idle authenticated "
                   f"connection (raw Netty: {kib(memory_per_conn(nconn))}): heap after GC "
                   f"{kib(conn.get('heap_per_conn_b'))} (raw Netty: {kib(nconn.get('heap_per_conn_b'))}) plus RSS "
                   f"outside the pre-touched heap {kib(conn.get('rss_per_conn_b'))} (raw Netty: "
                   f"{kib(nconn.get('rss_per_conn_b'))}).")
    for r in rows:
        if r.get("scenario") in ("echo", "broadcast") and r.get("server") in SERVERS:
            lg, sv = r.get("loadgen_cpu_pct") or 0, r.get("server_cpu_pct") or 0
            if lg >= 90 and sv < 90:
                unit = "requests/s" if r["scenario"] == "echo" else "deliveries/s"
                out.append(f"- **Load generator limit:** in {r['scenario']} against {LABELS[r['server']]} the load "
                           f"generator's core was at {lg}% and the server at {sv}%: the {unit} there "
                           f"understate the server; the per-CPU-second column does not.")
    return "\n".join(out) + "\n"


def asprof_profile(path):
    """Samples of an async-profiler collapsed file: total, per bucket, and the hottest leaf frames."""
    total, buckets, leaves = 0, {}, {}
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            total += n
            bucket = next((name for name, keys in ASPROF_BUCKETS if any(k in stack for k in keys)), "other")
            buckets[bucket] = buckets.get(bucket, 0) + n
            leaf = stack.rsplit(";", 1)[-1]
            leaves[leaf] = leaves.get(leaf, 0) + n
    return total, buckets, leaves


def asprof_section(results_dir):
    names = [n for n in ("before", "after", "after-window")
             if os.path.exists(os.path.join(results_dir, f"asprof-{n}.collapsed"))]
    if not names:
        return ""
    runs = {}
    path = os.path.join(results_dir, "profile.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    runs[r.get("server")] = r
    profiles = {n: asprof_profile(os.path.join(results_dir, f"asprof-{n}.collapsed")) for n in names}
    out = ["\n## Where the fan-out's CPU goes (async-profiler)\n",
           "async-profiler 4.1 (the Maven Central jar's native library, loaded into the running server), "
           "`event=cpu`, 1 ms interval, over one broadcast pass (10,000 subscribers, WebSocket publisher) after "
           "a warm-up, on a fresh server each. **before**: wshub with two event loops on its one core "
           "(Netty's 2 x CPUs, the old default) and no write window; **after**: the defaults (one loop per "
           "usable CPU); **after-window**: the automatic write window with the larger cap of the \"window on\" rows. Shares are of all samples of the process. "
           "Samples per delivery compare the runs.\n"]
    header = ["where"] + names
    lines = []
    for bucket in [b for b, _ in ASPROF_BUCKETS] + ["other"]:
        lines.append([bucket] + [f"{100 * profiles[n][1].get(bucket, 0) / max(1, profiles[n][0]):.1f}%" for n in names])
    lines.append(["samples (1 ms each)"] + [f"{profiles[n][0]:,}" for n in names])
    lines.append(["deliveries in the pass"] + [f"{runs.get('asprof-' + n, {}).get('delivered', 0):,}" for n in names])
    lines.append(["CPU-ms per 1,000 deliveries"] + [
        f"{1000 * profiles[n][0] / runs['asprof-' + n]['delivered']:.2f}" if runs.get("asprof-" + n, {}).get("delivered") else "n/a"
        for n in names])
    lines.append(["same, JIT compiler left out"] + [
        f"{1000 * (profiles[n][0] - profiles[n][1].get('JIT compiler', 0)) / runs['asprof-' + n]['delivered']:.2f}"
        if runs.get("asprof-" + n, {}).get("delivered") else "n/a" for n in names])
    out.append(table(header, lines))
    for n in names:
        total, _, leaves = profiles[n]
        top = sorted(leaves.items(), key=lambda kv: -kv[1])[:8]
        out.append(f"\nHottest frames, {n}: " + "; ".join(f"`{k[:90]}` {100 * v / max(1, total):.1f}%" for k, v in top) + ".")
    return "\n".join(out)


def syscalls_section(results_dir):
    path = os.path.join(results_dir, "syscalls.jsonl")
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    lines = []
    for r in runs:
        calls = strace_calls(os.path.join(results_dir, f"{r['server']}-strace.txt"))
        if calls is None or not r.get("delivered"):
            continue
        lines.append([LABELS.get(r["server"], r["server"]), f"{r['subs']:,}", f"{r['delivered']:,}", f"{calls:,}",
                      f"{calls / r['delivered']:.2f}", ", ".join(problems(r)) or "none"])
    if not lines:
        return ""
    return ("\n## Write syscalls per delivery\n\n"
            "A small broadcast (WebSocket publisher) while `strace -c -f` counts the server's `write`, `writev`, "
            "`sendto` and `sendmsg` calls. The count also holds each connection's handshake answer and join "
            "reply (and wshub's `connected` event), about 2-3 per subscriber. strace slows the server; only "
            "the counts matter here.\n\n"
            + table(["server", "subscribers", "deliveries", "write syscalls", "per delivery", "errors"], lines))


def jmh_section(results_dir):
    path = os.path.join(results_dir, "jmh.json")
    if not os.path.exists(path):
        return "JMH did not run in this pass.\n"
    with open(path) as f:
        data = json.load(f)
    lines = []
    for b in data:
        metric = b["primaryMetric"]
        name = b["benchmark"].replace("io.wshub.bench.jmh.", "")
        params = ", ".join(f"{k}={v}" for k, v in (b.get("params") or {}).items())
        lines.append([name + (f" ({params})" if params else ""), b["mode"],
                      f"{metric['score']:,.1f} ± {metric['scoreError']:,.1f}" if metric["scoreError"] == metric["scoreError"]
                      else f"{metric['score']:,.1f}", metric["scoreUnit"]])
    return table(["benchmark", "mode", "score", "unit"], lines)


def main():
    results_dir = sys.argv[1]
    rows, machine = load(results_dir)
    if len(sys.argv) > 3 and sys.argv[2] == "--engines-into":
        # A run of the engine phases alone: only that section of the page changes.
        replace_engines_section(sys.argv[3], engines_report(rows, machine, standalone=True))
        return
    out = []
    out.append("# Benchmarks\n")
    out.append("Every figure below was written by `bench/run.sh` from the run described here; nothing is typed "
               "in by hand. "
               "Raw results: `bench/results/<date>/results.jsonl` (not committed).\n")
    out.append(f"- **Command:** `{machine.get('command')}` (mode `{machine.get('mode')}`), "
               f"{machine.get('date')}, wshub commit `{machine.get('commit')}`, took {machine.get('elapsed', '?')}")
    out.append(f"- **Machine:** {machine.get('nproc')} cores ({machine.get('cpu')}), {machine.get('memory')} memory, "
               f"Linux {machine.get('kernel')}, open-file limit {machine.get('nofile')} per process")
    out.append(f"- **Runtimes:** {machine.get('java')}; Node {machine.get('node')}; Redis {machine.get('redis')}")
    sizes = machine.get("sizes") or f"conns={machine.get('conns')}"
    out.append(f"- **Sizes:** `{sizes}`")
    if machine.get("rerun"):
        out.append(f"- **Re-run phases:** {' '.join(machine['rerun'].split())} (into the same results directory "
                   f"with `BENCH_PHASES`/`BENCH_RESULTS`, same command otherwise)")
    out.append(f"- **Load average** (1/5/15 min) at start {machine.get('loadavg_start')}, after the build "
               f"{machine.get('loadavg_after_build')}, at the end {machine.get('loadavg_end')}; wshub root build: "
               f"{machine.get('root_build', 'ok')}\n")
    try:
        busy_start = float(machine.get("loadavg_start", "0").split()[0])
    except ValueError:
        busy_start = 0
    if busy_start > 1.5:
        out.append("> **Noisy run:** other processes were using the machine's two cores when this run "
                   "started (load average above); figures are lower and more spread than on a quiet "
                   "machine. Prefer the per-server-CPU-second columns for comparisons.\n")
    out.append("Servers run pinned to core 0 (`taskset -c 0`), the load generator (Netty epoll client, "
               "one event loop per process, several processes of at most 6,000 connections each and one more "
               "for the publisher, so its replies never wait behind deliveries, source "
               "addresses 127.0.0.2-127.0.0.250) to core 1. JVM servers run with "
               "`-XX:+UseG1GC -Xms2g -Xmx2g -XX:+AlwaysPreTouch` (2 GiB: Spring needs about 1.4 GiB for 18,000 connections; the heap is resident from the start, so RSS "
               "growth while connecting is memory outside the heap). Each server verifies the HS256 token (`?token=`) before the "
               "upgrade: wshub through its JwtAuth (nimbus-jose-jwt), the peers with a few lines of HMAC.\n")

    out.append("## Targets\n")
    out.append(table(["target", "measured", "met"],
                     [[name, text, ("yes" if ok is True else f"{ok}; **no** on RSS" if ok else "**no**")]
                      for name, text, ok in targets(rows)]))
    out.append("\n## wshub relative to each peer\n")
    out.append("Ratios above 1 favour wshub; broadcast ratios use the WebSocket-published runs. \"per CPU-s\" "
               "divides the work by the CPU time the server "
               "process used in the measured window (from /proc), which stays comparable when the "
               "one-core load generator, not the server, is the limit.\n")
    out.append(ratios_section(rows))

    out.append("\n## connect: authenticated connections\n")
    out.append("Opens the connections (100 handshakes in flight per load-generator process) after a warm-up "
               "batch, waits for the settle time, then samples the server: RSS from `/proc/<pid>/status`, "
               "heap with `jcmd GC.run` + `GC.heap_info` (JVM servers only; Node's heap is not reachable "
               "from outside). Growth is divided by the connections opened.\n")
    out.append(connect_section(rows))

    out.append("\n## echo: request/reply\n")
    out.append("Each connection keeps a fixed number of `{\"event\":\"echo\",\"data\":{...},\"seqno\":\"n\"}` "
               "requests in flight (64-byte data); replies are matched by seqno; latency from send to reply "
               "(HdrHistogram). Measured after a warm-up of `echo_warmup_ms` (Sizes above): a JVM server "
               "measured 3 s after its start was still compiling (on one core its JIT shares the core with "
               "the event loop) and delivered about three quarters of its warm figure. `echo_repeat` passes "
               "per server, each with fresh connections and its own warm-up; the row is the median pass (errors "
               "of every pass count). The load generator's echo workers run C2-compiled code (the warm-up covers "
               "its compiling): with C1 only they needed as much CPU per request as the fastest servers and "
               "were the limit.\n")
    out.append(echo_section(rows))

    out.append("\n## broadcast: one tag, many subscribers\n")
    out.append("All subscribers join tag `room`; after warm-up rounds for `warm_ms` (Sizes above), a publisher "
               "sends the messages with at most 4 unanswered; "
               "the payload carries its send time in epoch microseconds and each subscriber records the "
               "delivery latency. deliveries/s = deliveries / (last delivery - first send). Every server "
               "serializes a broadcast once and hands the same message to every member; the WebSocket frame "
               "header is written per member everywhere, and Spring's session API takes a `TextMessage` whose "
               "text Tomcat turns into UTF-8 bytes again for each member.\n")
    out.append(broadcast_section(rows))

    fan_rows, fan_settings = load_fanout(results_dir)
    if fan_rows:
        out.append("\n## fan-out: 2,000 and 10,000 subscribers, WebSocket- and HTTP-published\n")
        out.append("Each row on a freshly started server: the subscribers join one tag (Centrifugo: subscribe to "
                   "one channel), a warm-up, then the messages (64-byte payload carrying its send time) with at most "
                   "4 unanswered, published over a WebSocket (the `broadcast` event; Centrifugo's `publish` "
                   "command) or over HTTP (`POST /api/send/tag/room`; Centrifugo's `POST /api/publish`). "
                   f"The \"window on\" rows run the automatic write window with a cap of {fan_settings.get('window_ms', '?')} ms "
                   f"(`--write-delay-max`; the defaults' cap is 20 ms); messages per row: {fan_settings.get('deliveries', '?')} deliveries' worth "
                   f"(at least {fan_settings.get('messages', '?')}), after warm-up rounds of half as many in both modes "
                   f"for {fan_settings.get('warm_ms', '?')} ms (a JIT keeps compiling for tens of seconds of fan-out); "
                   f"{fan_settings.get('repeat', '?')} run(s) of everything, the row shown is the median run by "
                   f"deliveries/s. Load average at the phase's start {fan_settings.get('loadavg_start', '?')}, "
                   f"at its end {fan_settings.get('loadavg_end', '?')}. The C ceiling checks no token and parses "
                   "no JSON; it is the floor for server CPU per delivery, not a peer.\n")
        out.append(fanout_section(fan_rows, fan_settings))
        out.append("")
        out.append(fanout_targets(fan_rows))

    uring_rows, _ = load_fanout(results_dir, "iouring")
    if uring_rows:
        out.append("\n## Experiment: io_uring beside epoll\n")
        out.append("Not a peer: the raw Netty peer on one event loop (`-Dio.netty.eventLoopThreads=1`), "
                   "swapped between Netty's epoll and io_uring transports (4.2.18, native jars), each with a "
                   "flush per message and with `FlushConsolidationHandler(256, true)` batching the writes of one "
                   "event-loop pass; WebSocket-published fan-out rows measured as in the section above (same "
                   "warm-up, median of the runs). \"vs epoll\" compares a row with its epoll twin.\n")
        out.append(iouring_section(uring_rows))

    if any(r.get("server") == "netty-fc" for r in rows):
        out.append("\n## Experiment: fewer write syscalls per delivery\n")
        out.append("Not a peer: the raw Netty peer again with Netty's `FlushConsolidationHandler(256, true)` "
                   "first in its pipeline, so writes made during one event-loop pass leave in one syscall per "
                   "connection instead of one per message. Compare with the raw Netty rows above.\n")
        out.append(echo_section(rows, ["netty", "netty-fc"]))
        out.append("")
        out.append(broadcast_section(rows, ["netty", "netty-fc"]))

    if any(r.get("server") in EXPERIMENTS for r in rows):
        out.append("\n## Experiment: what limits broadcast\n")
        out.append("Not peers: the broadcast above (WebSocket publisher) on freshly started servers that run "
                   "only broadcasts, so these rows compare with each other (the rows above come after a "
                   "connect and an echo pass on the same server). Each server runs the broadcast with 4 "
                   "messages unanswered, then with 16, so more messages reach a member within one event-loop "
                   "pass. \"Parallel GC\": wshub with `-XX:+UseParallelGC` instead of G1, same heap.\n")
        out.append(broadcast_section(rows, EXPERIMENTS, modes=("ws",)))
        out.append("")
        out.append(experiment_sentences(rows))

    out.append(asprof_section(results_dir))
    out.append(syscalls_section(results_dir))

    out.append("\n## cluster: two wshub nodes through one Redis\n")
    out.append("Two standalone `wshub.jar` nodes (`--redis-url`, `--node-id a|b`) and a `redis-server` on the "
               "server core; half the subscribers on each node; sends enter through node A's HTTP API with at "
               "most 4 requests in flight (so the user-send rate is bounded by the round trip, not by wshub's "
               "throughput).\n")
    out.append(cluster_section(rows))

    out.append(engines_report(rows, machine, standalone=False))

    out.append("\n## JMH: wshub-core hot paths\n")
    out.append("`bench/jmh`, JMH 1.37, a short run (settings in `bench/run.sh`), pinned to core 0. "
               "Short runs are indicative only.\n")
    out.append(jmh_section(results_dir))

    out.append("\n## Findings\n")
    missed = [name for name, _, ok in targets(rows) if ok is not True]
    if missed:
        out.append("Targets missed in this run: " + "; ".join(missed) + ".\n")
    else:
        out.append("Every target was met in this run.\n")
    out.append(findings(rows, results_dir))
    out.append(profile_section(results_dir))
    notes_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FINDINGS.md")
    if os.path.exists(notes_path):
        with open(notes_path) as f:
            out.append("\n" + f.read())
    # bench/proxy.sh's section (its own run, its own machine note) survives a full re-run.
    proxy_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "proxy", "RESULTS.md")
    if os.path.exists(proxy_path):
        with open(proxy_path) as f:
            out.append("\n" + f.read())
    print("\n".join(out))


if __name__ == "__main__":
    main()
