#!/usr/bin/env bash
# Benchmarks wshub beside its peers and writes docs/BENCHMARKS.md.
#
#   bench/run.sh [quick|full]      quick: ~30 minutes; full: longer runs, ~18,000 connections
#
# BENCH_MAVEN_REPO=<dir> builds against a private local Maven repository (-Dmaven.repo.local), so a
# run never overwrites the snapshots in ~/.m2 that other builds on the machine use.
#
# Builds everything (wshub, the load generator, the JVM peers, the Node peers), then for each
# server: starts it pinned to core 0, runs the connect, echo and broadcast scenarios with the
# load generator pinned to core 1, stops it. Then the cluster scenario (two wshub nodes and a
# Redis) and the same over 2 and 4 Redis shards and NATS (phase engines), broadcast experiments (publisher window, Parallel GC), JFR profiles of wshub and raw
# Netty, write-syscall counts (strace -c), a short JMH run, and permessage-deflate off and on
# (phase deflate: server CPU per delivery, bytes on the wire, memory per connection; it writes
# docs/benchmarks-deflate.md).
# Traffic goes only to 127.0.0.x; every process started here is stopped on exit. Raw results stay
# in bench/results/<date>/.
set -euo pipefail

MODE="${1:-quick}"
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
RESULTS="${BENCH_RESULTS:-$BENCH/results/$STAMP}"
# BENCH_PHASES picks phases (default all); with BENCH_RESULTS=<dir> a phase can be re-run into an
# earlier run's directory, e.g. BENCH_PHASES="build profile" BENCH_RESULTS=bench/results/<date>.
PHASES=" ${BENCH_PHASES:-build servers fanout experiments iouring cluster engines profile asprof syscalls jmh deflate} "
phase() { [[ "$PHASES" == *" $1 "* ]]; }
OUT="$RESULTS/results.jsonl"
SECRET="wshub-bench-secret-0123456789abcdef"
API_KEY="wshub-bench-api-key"
SERVER_CPU=0
LOADGEN_CPU=1
# The heap is sized and touched up front (AlwaysPreTouch), so RSS growth while connecting is
# memory outside the heap (native buffers, thread caches) and not eden pages the JVM touches for
# the first time; heap growth is measured after a GC on its own. A JVM's memory per connection
# is the sum of the two.
HEAP=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch)
SERVER_JVM=(-XX:+UseG1GC "${HEAP[@]}")
# Fan-out rows: subscribers per row, and the cap of the automatic write window in the "window on"
# wshub rows (--write-delay-max; the default cap is 20 ms).
FANOUT_SUBS=(${BENCH_FANOUT_SUBS:-2000 10000})
WINDOW_MS="${BENCH_WINDOW_MS:-200}"
MVN=(mvn -q -B ${BENCH_MAVEN_REPO:+-Dmaven.repo.local=$BENCH_MAVEN_REPO})
CENTRIFUGO_VERSION=v6.9.1
ASYNC_PROFILER_VERSION=4.1
ASPROF_LIB="$BENCH/target/async-profiler/libasyncProfiler.so"
# Hard stop for one load-generator run (it has its own timeouts; this bounds a hang).
LOADGEN_LIMIT_S=900

case "$MODE" in
  quick)
    CONNS=5000; WARM_CONNS=500; SETTLE_MS=2000
    ECHO_CONNS=100; INFLIGHT=8; ECHO_WARMUP_MS=20000; ECHO_MEASURE_MS=5000; ECHO_REPEAT=${BENCH_ECHO_REPEAT:-3}
    SUBS=10000; MESSAGES=30; WARM_MESSAGES=10
    CLUSTER_SUBS=2000; CLUSTER_MESSAGES=100
    SYSCALL_SUBS=2000; SYSCALL_MESSAGES=20
    PROFILE_MS=6000; JMH_ARGS=(-f 1 -wi 2 -i 3 -w 1s -r 1s); PHASE_TIMEOUT_MS=60000
    FANOUT_MESSAGES=40; FANOUT_REPEAT=${BENCH_FANOUT_REPEAT:-1}; FANOUT_DELIVERIES=800000; FANOUT_WARM_MS=20000
    DEFLATE_CONNS=1500; DEFLATE_MESSAGES=40 ;;
  full)
    CONNS=18000; WARM_CONNS=1000; SETTLE_MS=10000
    ECHO_CONNS=200; INFLIGHT=16; ECHO_WARMUP_MS=40000; ECHO_MEASURE_MS=30000; ECHO_REPEAT=${BENCH_ECHO_REPEAT:-3}
    SUBS=10000; MESSAGES=200; WARM_MESSAGES=30
    CLUSTER_SUBS=10000; CLUSTER_MESSAGES=500
    SYSCALL_SUBS=5000; SYSCALL_MESSAGES=40
    PROFILE_MS=15000; JMH_ARGS=(-f 1 -wi 3 -i 5 -w 2s -r 2s); PHASE_TIMEOUT_MS=240000
    FANOUT_MESSAGES=100; FANOUT_REPEAT=${BENCH_FANOUT_REPEAT:-3}; FANOUT_DELIVERIES=2000000; FANOUT_WARM_MS=40000
    DEFLATE_CONNS=5000; DEFLATE_MESSAGES=100 ;;
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac

mkdir -p "$RESULTS"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
PIDS=()
ROOT_BUILD=ok
cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A free port whose Redis Cluster bus port (port + 10000) is a valid port too.
free_cluster_port() {
  local port
  while :; do port="$(free_port)"; [ "$port" -lt 55000 ] && { echo "$port"; return; }; done
}

# ---- build ----
build() {
  log "building wshub (root reactor)"
  if ! (cd "$ROOT" && "${MVN[@]}" install -DskipTests) > "$RESULTS/build-wshub.log" 2>&1; then
    # Keeps the bench usable while the root tree is mid-change: the last installed core is used.
    log "root build failed (see $RESULTS/build-wshub.log); using the last installed wshub-core"
    ROOT_BUILD=failed
  fi
  log "building load generator, JVM peers, wshub bench app"
  (cd "$BENCH/loadgen" && "${MVN[@]}" clean package)
  (cd "$BENCH/peers" && "${MVN[@]}" clean package -DskipTests)
  (cd "$BENCH/wshub-app" && "${MVN[@]}" clean package)
  log "building the Go peers (gorilla/websocket hub; Centrifugo $CENTRIFUGO_VERSION from the Go module proxy) and the C ceiling"
  (cd "$BENCH/peers/gorilla" && go build -o bin/gorilla-peer .)
  if [ ! -x "$BENCH/peers/centrifugo/bin/centrifugo" ]; then
    GOBIN="$BENCH/peers/centrifugo/bin" go install "github.com/centrifugal/centrifugo/v6@$CENTRIFUGO_VERSION" \
      > "$RESULTS/build-centrifugo.log" 2>&1 || log "centrifugo build failed (see $RESULTS/build-centrifugo.log)"
  fi
  make -s -C "$BENCH/peers/ceiling"
  log "fetching async-profiler $ASYNC_PROFILER_VERSION (Maven Central jar with the native library)"
  if (cd "$BENCH" && "${MVN[@]}" -f loadgen/pom.xml dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" \
        -DoutputDirectory="$BENCH/target/async-profiler") > "$RESULTS/build-async-profiler.log" 2>&1; then
    unzip -o -q -j "$BENCH/target/async-profiler/async-profiler-$ASYNC_PROFILER_VERSION.jar" linux-x64/libasyncProfiler.so \
      -d "$BENCH/target/async-profiler"
  else
    log "async-profiler fetch failed (see $RESULTS/build-async-profiler.log); the asprof phase will be skipped"
  fi
  log "installing Node peers (npm ci)"
  (cd "$BENCH/peers/node-ws" && npm ci --no-audit --no-fund --silent)
  (cd "$BENCH/peers/socketio" && npm ci --no-audit --no-fund --silent)
}

# ---- servers ----
SERVER_PID=""
SERVER_PORT=""
# start_server NAME CMD...: runs CMD pinned to the server core with PORT set, waits for "listening".
start_server() {
  local name="$1"; shift
  SERVER_PORT="$(free_port)"
  PORT="$SERVER_PORT" HOST=127.0.0.1 JWT_SECRET="$SECRET" API_KEY="$API_KEY" \
    taskset -c "$SERVER_CPU" "$@" > "$RESULTS/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local waited=0
  until grep -qE "listening|serving websocket" "$RESULTS/$name.log" 2>/dev/null; do
    sleep 0.2; waited=$((waited + 1))
    if [ "$waited" -gt 300 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "$name did not start:"; tail -20 "$RESULTS/$name.log" >&2; return 1
    fi
  done
  log "$name listening on $SERVER_PORT (pid $SERVER_PID)"
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local waited=0
  while kill -0 "$SERVER_PID" 2>/dev/null && [ "$waited" -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

SRC_BASE=2
# loadgen ARGS...: one scenario; every call uses fresh source addresses (no TIME_WAIT clashes).
loadgen() {
  SRC_BASE=$(( (SRC_BASE + 8) % 240 + 2 ))
  timeout "$LOADGEN_LIMIT_S" taskset -c "$LOADGEN_CPU" java -Xms256m -Xmx512m -jar "$BENCH/loadgen/target/loadgen.jar" \
    --secret "$SECRET" --out "$OUT" --src-base "$SRC_BASE" "$@" 2>> "$RESULTS/loadgen.log" \
    | tee -a "$RESULTS/loadgen.log" >&2
}

# bench_server NAME PROTO [MODES]: the three single-server scenarios against the running server.
bench_server() {
  local name="$1" proto="$2" modes="${3:-ws}" connect="${4:-connect}"
  local url="ws://127.0.0.1:$SERVER_PORT/ws"
  if [ "$connect" = connect ]; then
    log "$name: connect ($CONNS connections)"
    loadgen --scenario connect --server "$name" --proto "$proto" --url "$url" --pid "$SERVER_PID" \
      --conns "$CONNS" --warm-conns "$WARM_CONNS" --settle-ms "$SETTLE_MS" || log "$name connect failed"
  fi
  # Several passes, each with fresh connections and its own warm-up; the report shows the median
  # pass (on a shared VM one pass can lose a quarter of its throughput to the neighbours).
  local rep
  for rep in $(seq "$ECHO_REPEAT"); do
    log "$name: echo pass $rep/$ECHO_REPEAT ($ECHO_CONNS connections x $INFLIGHT in flight)"
    loadgen --scenario echo --server "$name" --proto "$proto" --url "$url" --pid "$SERVER_PID" --rep "$rep" \
      --conns "$ECHO_CONNS" --inflight "$INFLIGHT" --warmup-ms "$ECHO_WARMUP_MS" --measure-ms "$ECHO_MEASURE_MS" \
      || log "$name echo failed"
  done
  broadcast "$name" "$proto" "$modes"
}

# broadcast NAME PROTO MODES [LOADGEN ARGS...]: the broadcast scenario against the running server.
broadcast() {
  local name="$1" proto="$2" modes="$3"; shift 3
  log "$name: broadcast ($SUBS subscribers x $MESSAGES messages, $modes${*:+, $*})"
  loadgen --scenario broadcast --server "$name" --proto "$proto" --url "ws://127.0.0.1:$SERVER_PORT/ws" \
    --pid "$SERVER_PID" --subs "$SUBS" --messages "$MESSAGES" --warm-messages "$WARM_MESSAGES" \
    --warm-ms "$FANOUT_WARM_MS" --modes "$modes" \
    --publish-timeout-ms "$PHASE_TIMEOUT_MS" --collect-timeout-ms "$PHASE_TIMEOUT_MS" \
    --api "http://127.0.0.1:$SERVER_PORT" --api-key "$API_KEY" "$@" || log "$name broadcast failed"
}

run_servers() {
  start_server wshub java "${SERVER_JVM[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
  bench_server wshub wshub ws,http
  stop_server

  start_server netty java "${SERVER_JVM[@]}" -jar "$BENCH/peers/netty/target/peer-netty.jar"
  bench_server netty wshub
  stop_server

  start_server node-ws node "$BENCH/peers/node-ws/server.js"
  bench_server node-ws wshub
  stop_server

  start_server socketio node "$BENCH/peers/socketio/server.js"
  bench_server socketio socketio
  stop_server

  # Experiment, not a peer: the raw Netty peer with flush consolidation, to show what fewer
  # write syscalls per delivery buy (see Findings).
  FLUSH_CONSOLIDATION=256 start_server netty-fc java "${SERVER_JVM[@]}" -jar "$BENCH/peers/netty/target/peer-netty.jar"
  bench_server netty-fc wshub ws skip-connect
  stop_server

  start_server spring java "${SERVER_JVM[@]}" -jar "$BENCH/peers/spring/target/peer-spring.jar"
  bench_server spring wshub
  stop_server
}

# ---- fan-out: each server fresh, one tag of 2,000 then 10,000 subscribers, published over a
# WebSocket and over HTTP; wshub with its defaults, never holding, and with a larger window cap. FANOUT_REPEAT runs
# of everything, each into its own file (the report takes the median per row).
run_fanout() {
  local rep subs
  for rep in $(seq 1 "$FANOUT_REPEAT"); do
    for subs in "${FANOUT_SUBS[@]}"; do
      fanout_row wshub wshub "$rep" "$subs" java "${SERVER_JVM[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
      WRITE_DELAY_MS=0 fanout_row wshub-nohold wshub "$rep" "$subs" \
        java "${SERVER_JVM[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
      WRITE_DELAY_MAX_MS="$WINDOW_MS" fanout_row wshub-window wshub "$rep" "$subs" \
        java "${SERVER_JVM[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
      # The collector is the operator's choice (docs/tuning.md "Garbage collector"): both rows again with Parallel GC.
      fanout_row wshub-parallel wshub "$rep" "$subs" \
        java -XX:+UseParallelGC "${HEAP[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
      WRITE_DELAY_MAX_MS="$WINDOW_MS" fanout_row wshub-parallel-window wshub "$rep" "$subs" \
        java -XX:+UseParallelGC "${HEAP[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
      fanout_row node-ws wshub "$rep" "$subs" node "$BENCH/peers/node-ws/server.js"
      fanout_row gorilla wshub "$rep" "$subs" "$BENCH/peers/gorilla/bin/gorilla-peer"
      if [ -x "$BENCH/peers/centrifugo/bin/centrifugo" ]; then
        fanout_row centrifugo centrifugo "$rep" "$subs" "$BENCH/peers/centrifugo/start.sh"
      fi
      fanout_row ceiling wshub "$rep" "$subs" "$BENCH/peers/ceiling/bin/ceiling"
    done
  done
}

# fanout_row NAME PROTO REP SUBS CMD...: a fresh server, one WebSocket- and one HTTP-published broadcast.
fanout_row() {
  local name="$1" proto="$2" rep="$3" subs="$4"; shift 4
  # BENCH_FANOUT_ONLY="wshub centrifugo" limits the rows (for a quick comparison).
  if [ -n "${BENCH_FANOUT_ONLY:-}" ] && [[ " $BENCH_FANOUT_ONLY " != *" $name "* ]]; then return 0; fi
  # Messages per row from a delivery count, and a warm-up of rounds of half as many messages in
  # both modes, repeated for FANOUT_WARM_MS: a JIT (JVM, V8) measured before it settles shows its
  # compiler, not its fan-out. At 2,000 subscribers wshub measured 110k/s after 10 warm-up
  # messages, 288k/s after 200, and it kept compiling for ~30 s of traffic (successive passes
  # 182k, 301k, 338k, 484k/s); every server gets the same warm-up.
  local messages=$(( FANOUT_DELIVERIES / subs > FANOUT_MESSAGES ? FANOUT_DELIVERIES / subs : FANOUT_MESSAGES ))
  local warm=$(( messages / 2 > WARM_MESSAGES ? messages / 2 : WARM_MESSAGES ))
  start_server "fanout-$name-$subs-$rep" "$@" || return 0
  log "$name: fan-out to $subs subscribers, $warm warm-up + $messages messages (run $rep)"
  OUT="$RESULTS/${FANOUT_FILE:-fanout}-$rep.jsonl" loadgen --scenario broadcast --server "f-$name" --proto "$proto" \
    --url "ws://127.0.0.1:$SERVER_PORT/ws" --pid "$SERVER_PID" --subs "$subs" --messages "$messages" \
    --warm-messages "$warm" --warm-ms "$FANOUT_WARM_MS" --modes "${FANOUT_MODES:-ws,http}" --publish-timeout-ms "$PHASE_TIMEOUT_MS" \
    --collect-timeout-ms "$PHASE_TIMEOUT_MS" --api "http://127.0.0.1:$SERVER_PORT" --api-key "$API_KEY" \
    || log "$name fan-out failed"
  stop_server
}

# ---- io_uring beside epoll (docs/tuning.md "io_uring"): the raw Netty peer on one event loop,
# fan-out rows as above (WebSocket-published; the peer has no HTTP API), each transport with
# per-message flushes and with FlushConsolidationHandler batching the writes of one loop pass.
run_iouring() {
  local rep subs jar="$BENCH/peers/netty/target/peer-netty.jar" jvm=("${SERVER_JVM[@]}" -Dio.netty.eventLoopThreads=1)
  export FANOUT_MODES=ws FANOUT_FILE=iouring
  for rep in $(seq 1 "$FANOUT_REPEAT"); do
    for subs in "${FANOUT_SUBS[@]}"; do
      fanout_row netty-epoll wshub "$rep" "$subs" java "${jvm[@]}" -jar "$jar"
      TRANSPORT=io_uring fanout_row netty-uring wshub "$rep" "$subs" java "${jvm[@]}" -jar "$jar"
      FLUSH_CONSOLIDATION=256 fanout_row netty-epoll-fc wshub "$rep" "$subs" java "${jvm[@]}" -jar "$jar"
      FLUSH_CONSOLIDATION=256 TRANSPORT=io_uring fanout_row netty-uring-fc wshub "$rep" "$subs" \
        java "${jvm[@]}" -jar "$jar"
    done
  done
  unset FANOUT_MODES FANOUT_FILE
}

# Experiments, not peers: what limits broadcast here (see "Experiment: what limits broadcast").
# Every server starts fresh and runs only broadcasts, so the rows compare with each other (the
# peer rows above come after a connect and an echo pass on the same server).
run_broadcast_experiments() {
  local wshub_jar="$BENCH/wshub-app/target/wshub-bench-app.jar"
  window_pair wshub wshub java "${SERVER_JVM[@]}" -jar "$wshub_jar"
  window_pair node-ws wshub node "$BENCH/peers/node-ws/server.js"
  window_pair socketio socketio node "$BENCH/peers/socketio/server.js"
  # wshub on the Parallel collector instead of G1: G1's write-barrier work (card refinement) left out.
  start_server wshub-parallel java -XX:+UseParallelGC "${HEAP[@]}" -jar "$wshub_jar"
  broadcast wshub-parallel wshub ws
  stop_server
}

# window_pair NAME PROTO CMD...: a fresh server, broadcast with 4 then 16 messages unanswered
# (rows NAME-x4 and NAME-w16): more messages meet in one event-loop pass.
window_pair() {
  local name="$1" proto="$2"; shift 2
  start_server "$name-x4" "$@"
  broadcast "$name-x4" "$proto" ws
  broadcast "$name-w16" "$proto" ws --window 16
  stop_server
}

# ---- cluster: two standalone wshub nodes and an engine between them ----
run_cluster() {
  cluster_run wshub-cluster redis 1
}

# Cross-node fan-out and user sends over each engine (docs/cluster.md "When to use which"):
# 2 and 4 independent Redis shards, a Redis Cluster (3 masters + 3 replicas, sharded pub/sub),
# NATS (presence in one Redis). One shard is run_cluster.
run_engines() {
  cluster_run wshub-redis2 redis 2
  cluster_run wshub-redis4 redis 4
  cluster_run wshub-rediscluster rediscluster 6
  if command -v nats-server > /dev/null; then
    cluster_run wshub-nats nats 1
  else
    echo '{"server":"wshub-nats","scenario":"cluster-broadcast","status":"skipped: nats-server missing"}' >> "$OUT"
  fi
}

# cluster_run NAME redis|rediscluster|nats SHARDS: the engine processes and two nodes on the server core, the
# cluster scenario from the load generator; the rows carry the CPU of the nodes and of the engine.
cluster_run() {
  local name="$1" engine="$2" shards="$3"
  local jar="$ROOT/wshub-server/target/wshub.jar"
  if ! command -v redis-server > /dev/null || [ ! -f "$jar" ]; then
    log "$name: skipped (redis-server or wshub.jar missing)"
    echo "{\"server\":\"$name\",\"scenario\":\"cluster-broadcast\",\"status\":\"skipped: redis-server or wshub.jar missing\"}" >> "$OUT"
    return 0
  fi
  local engine_pids=() node_ports=() node_pids=() redis_urls=() flags=() i port
  if [ "$engine" != rediscluster ]; then
    for i in $(seq 1 "$shards"); do
      port="$(free_port)"
      taskset -c "$SERVER_CPU" redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        > "$RESULTS/$name-redis-$i.log" 2>&1 &
      PIDS+=("$!"); engine_pids+=("$!"); redis_urls+=("redis://127.0.0.1:$port")
    done
  fi
  if [ "$engine" = rediscluster ]; then
    # SHARDS servers, cluster-enabled, joined as masters with one replica each.
    local addrs=() cport
    for i in $(seq 1 "$shards"); do
      port="$(free_cluster_port)"; mkdir -p "$RESULTS/$name-redis-$i"
      taskset -c "$SERVER_CPU" redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --cluster-enabled yes --cluster-config-file nodes.conf --dir "$RESULTS/$name-redis-$i" \
        > "$RESULTS/$name-redis-$i.log" 2>&1 &
      PIDS+=("$!"); engine_pids+=("$!"); addrs+=("127.0.0.1:$port"); redis_urls+=("redis://127.0.0.1:$port")
    done
    for i in "${addrs[@]}"; do
      for _ in $(seq 1 50); do redis-cli -p "${i##*:}" ping > /dev/null 2>&1 && break; sleep 0.1; done
    done
    redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes > "$RESULTS/$name-create.log" 2>&1 \
      || log "$name: redis-cli --cluster create failed"
    cport="${addrs[0]##*:}"
    for i in $(seq 1 100); do
      redis-cli -p "$cport" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
      sleep 0.2
    done
    flags+=(--redis-cluster --redis-url "${redis_urls[0]}" --redis-url "${redis_urls[1]}")
  else
    for i in "${redis_urls[@]}"; do flags+=(--redis-url "$i"); done
  fi
  if [ "$engine" = nats ]; then
    port="$(free_port)"
    taskset -c "$SERVER_CPU" nats-server -a 127.0.0.1 -p "$port" > "$RESULTS/$name-nats.log" 2>&1 &
    PIDS+=("$!"); engine_pids+=("$!"); flags+=(--nats-url "nats://127.0.0.1:$port")
  fi
  sleep 0.5
  local node
  for node in a b; do
    port="$(free_port)"
    taskset -c "$SERVER_CPU" java "${SERVER_JVM[@]}" -jar "$jar" --host 127.0.0.1 --port "$port" \
      --jwt-secret "$SECRET" --api-key "$API_KEY" --auth required \
      "${flags[@]}" --node-id "$node" > "$RESULTS/$name-node-$node.log" 2>&1 &
    PIDS+=("$!"); node_pids+=("$!"); node_ports+=("$port")
  done
  local waited=0 ready
  while true; do
    ready=0
    for node in a b; do grep -q "wshub listening on" "$RESULTS/$name-node-$node.log" 2>/dev/null && ready=$((ready + 1)); done
    [ "$ready" -eq 2 ] && break
    sleep 0.2; waited=$((waited + 1))
    if [ "$waited" -gt 300 ]; then
      log "$name: nodes did not start"; tail -5 "$RESULTS"/"$name"-node-*.log >&2
      echo "{\"server\":\"$name\",\"scenario\":\"cluster-broadcast\",\"status\":\"nodes did not start\"}" >> "$OUT"
      kill "${node_pids[@]}" "${engine_pids[@]}" 2>/dev/null || true
      return 0
    fi
  done
  log "$name: nodes on ${node_ports[*]}, $engine x$shards (pids ${engine_pids[*]})"
  loadgen --scenario cluster --server "$name" --url "ws://127.0.0.1:${node_ports[0]}/ws" \
    --url2 "ws://127.0.0.1:${node_ports[1]}/ws" --api "http://127.0.0.1:${node_ports[0]}" --api-key "$API_KEY" \
    --subs "$CLUSTER_SUBS" --messages "$CLUSTER_MESSAGES" --warm-messages 10 --collect-timeout-ms 20000 \
    --node-pids "$(IFS=,; echo "${node_pids[*]}")" --engine-pids "$(IFS=,; echo "${engine_pids[*]}")" \
    || log "$name scenario failed"
  kill -TERM "${node_pids[@]}" "${engine_pids[@]}" 2>/dev/null || true
  wait "${node_pids[@]}" "${engine_pids[@]}" 2>/dev/null || true
}

# ---- where the time goes: JFR per pass (echo, broadcast) on wshub and, for comparison, raw Netty ----
run_profile() {
  : > "$RESULTS/profile.jsonl"
  profile_server wshub java "${SERVER_JVM[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar"
  profile_server netty java "${SERVER_JVM[@]}" -jar "$BENCH/peers/netty/target/peer-netty.jar"
}

# profile_server NAME CMD...: one JFR recording per pass; samples go to NAME-PASS-samples.txt.
profile_server() {
  local name="$1"; shift
  start_server "$name-profile" "$@"
  local url="ws://127.0.0.1:$SERVER_PORT/ws" pass
  for pass in echo broadcast; do
    # Warm the JIT first so the recording shows steady state, not compilation.
    profile_pass "$pass" "$url" 2000 "$name-warmup"
    jcmd "$SERVER_PID" JFR.start name="$pass" settings=profile > /dev/null
    profile_pass "$pass" "$url" "$PROFILE_MS" "$name-profile"
    jcmd "$SERVER_PID" JFR.dump name="$pass" filename="$RESULTS/$name-$pass.jfr" > /dev/null
    jcmd "$SERVER_PID" JFR.stop name="$pass" > /dev/null
    jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 64 "$RESULTS/$name-$pass.jfr" \
      > "$RESULTS/$name-$pass-samples.txt" || true
  done
  stop_server
}

# profile_pass echo|broadcast URL MILLIS LABEL: load for the profiler; figures go to profile.jsonl.
# PASS_WARM_MS=N (broadcast) first runs warm-up rounds for N ms.
profile_pass() {
  local pass="$1" url="$2" millis="$3" label="$4"
  SRC_BASE=$(( (SRC_BASE + 8) % 240 + 2 ))
  local common=(--secret "$SECRET" --out "$RESULTS/profile.jsonl" --src-base "$SRC_BASE" --server "$label"
    --url "$url" --pid "$SERVER_PID")
  if [ "$pass" = echo ]; then
    timeout "$LOADGEN_LIMIT_S" taskset -c "$LOADGEN_CPU" java -Xms256m -Xmx512m -jar "$BENCH/loadgen/target/loadgen.jar" "${common[@]}" \
      --scenario echo --conns "$ECHO_CONNS" --inflight "$INFLIGHT" --warmup-ms 0 --measure-ms "$millis" \
      2>> "$RESULTS/loadgen.log" > /dev/null || true
  else
    timeout "$LOADGEN_LIMIT_S" taskset -c "$LOADGEN_CPU" java -Xms256m -Xmx512m -jar "$BENCH/loadgen/target/loadgen.jar" "${common[@]}" \
      --scenario broadcast --subs "$SUBS" --messages $(( millis / 100 )) \
      --warm-messages $(( ${PASS_WARM_MS:-0} > 0 ? 20 : 0 )) --warm-ms "${PASS_WARM_MS:-0}" \
      2>> "$RESULTS/loadgen.log" > /dev/null || true
  fi
}

# ---- async-profiler CPU profiles of the fan-out: "before" is wshub with the old sizing (two event
# loops on the one core: Netty's 2 x CPUs) and no write window; "after" the defaults, and the larger cap.
run_asprof() {
  if [ ! -f "$ASPROF_LIB" ]; then log "asprof: $ASPROF_LIB missing, skipped"; return 0; fi
  : > "$RESULTS/asprof.jsonl"
  IO_THREADS=2 asprof_server before
  asprof_server after
  WRITE_DELAY_MAX_MS="$WINDOW_MS" asprof_server after-window
}

# asprof_server NAME: a fresh wshub, a warm-up broadcast, then a profiled one (samples to asprof-NAME.collapsed).
asprof_server() {
  local name="$1"
  start_server "asprof-$name" java "${SERVER_JVM[@]}" -jar "$BENCH/wshub-app/target/wshub-bench-app.jar" || return 0
  local url="ws://127.0.0.1:$SERVER_PORT/ws"
  # A warm-up as long as a fan-out row's, so the profile shows compiled code, not the compiler.
  PASS_WARM_MS="$FANOUT_WARM_MS" profile_pass broadcast "$url" "$PROFILE_MS" "asprof-$name-warmup"
  java "$BENCH/profiler/Attach.java" "$SERVER_PID" "$ASPROF_LIB" "start,event=cpu,interval=1ms" > /dev/null
  profile_pass broadcast "$url" "$PROFILE_MS" "asprof-$name"
  java "$BENCH/profiler/Attach.java" "$SERVER_PID" "$ASPROF_LIB" "stop,file=$RESULTS/asprof-$name.collapsed,collapsed" > /dev/null
  stop_server
}

# ---- write syscalls per delivery (strace -c), wshub beside raw Netty with and without coalescing ----
run_syscalls() {
  if ! command -v strace > /dev/null; then log "syscalls: strace missing, skipped"; return 0; fi
  : > "$RESULTS/syscalls.jsonl"
  syscall_count wshub "$BENCH/wshub-app/target/wshub-bench-app.jar" 0
  IO_THREADS=2 syscall_count wshub-before "$BENCH/wshub-app/target/wshub-bench-app.jar" 0
  WRITE_DELAY_MAX_MS="$WINDOW_MS" syscall_count wshub-window "$BENCH/wshub-app/target/wshub-bench-app.jar" 0
  syscall_count netty "$BENCH/peers/netty/target/peer-netty.jar" 0
  syscall_count netty-fc "$BENCH/peers/netty/target/peer-netty.jar" 256
}

# syscall_count NAME JAR FLUSH_CONSOLIDATION: a small broadcast while strace counts the server's writes.
syscall_count() {
  local name="$1" jar="$2" consolidate="$3"
  FLUSH_CONSOLIDATION="$consolidate" start_server "$name-strace" java "${SERVER_JVM[@]}" -jar "$jar"
  strace -c -f -e trace=write,writev,sendto,sendmsg -o "$RESULTS/$name-strace.txt" -p "$SERVER_PID" 2> /dev/null &
  local strace_pid=$!
  PIDS+=("$strace_pid")
  sleep 1
  SRC_BASE=$(( (SRC_BASE + 8) % 240 + 2 ))
  timeout "$LOADGEN_LIMIT_S" taskset -c "$LOADGEN_CPU" java -Xms256m -Xmx512m -jar "$BENCH/loadgen/target/loadgen.jar" --secret "$SECRET" \
    --out "$RESULTS/syscalls.jsonl" --src-base "$SRC_BASE" --server "$name" --url "ws://127.0.0.1:$SERVER_PORT/ws" \
    --scenario broadcast --subs "$SYSCALL_SUBS" --messages "$SYSCALL_MESSAGES" --warm-messages 0 \
    2>> "$RESULTS/loadgen.log" > /dev/null || true
  kill -INT "$strace_pid" 2> /dev/null || true
  wait "$strace_pid" 2> /dev/null || true
  stop_server
}

# ---- JMH: hot paths of wshub-core ----
run_jmh() {
  if [ ! -f "$BENCH/jmh/pom.xml" ]; then return 0; fi
  log "jmh: building and running (${JMH_ARGS[*]})"
  if (cd "$BENCH/jmh" && "${MVN[@]}" clean package) > "$RESULTS/jmh-build.log" 2>&1; then
    taskset -c "$SERVER_CPU" java -jar "$BENCH/jmh/target/benchmarks.jar" "${JMH_ARGS[@]}" \
      -rf json -rff "$RESULTS/jmh.json" > "$RESULTS/jmh.txt" 2>&1 || log "jmh run failed"
  else
    log "jmh build failed (see $RESULTS/jmh-build.log)"
  fi
}

# ---- permessage-deflate off and on: two rows (wshub-deflate-off, wshub-deflate-on) of server CPU
# per delivery, bytes on the wire per delivery and server RSS per connection, from
# bench/deflate/deflate.mjs (Node ws clients pinned to the load-generator core, the standalone
# server to the server core). Rows go to deflate.jsonl; the page to docs/benchmarks-deflate.md.
run_deflate() {
  local jar="$ROOT/wshub-server/target/wshub.jar"
  if [ ! -f "$jar" ] || [ ! -d "$ROOT/clients/js/node_modules/ws" ]; then
    if [ -f "$jar" ]; then (cd "$ROOT/clients/js" && npm ci --no-audit --no-fund --silent) || true; fi
    if [ ! -f "$jar" ] || [ ! -d "$ROOT/clients/js/node_modules/ws" ]; then
      log "deflate: skipped (wshub.jar or clients/js/node_modules/ws missing)"
      echo '{"server":"wshub-deflate","scenario":"deflate","status":"skipped: wshub.jar or ws missing"}' >> "$RESULTS/deflate.jsonl"
      return 0
    fi
  fi
  log "deflate: off and on ($DEFLATE_CONNS connections x $DEFLATE_MESSAGES broadcasts)"
  : > "$RESULTS/deflate.jsonl"
  DEFLATE_SERVER_CPU="$SERVER_CPU" DEFLATE_JSONL="$RESULTS/deflate.jsonl" DEFLATE_DOC="$ROOT/docs/benchmarks-deflate.md" \
    timeout "$LOADGEN_LIMIT_S" taskset -c "$LOADGEN_CPU" node "$BENCH/deflate/deflate.mjs" "$DEFLATE_CONNS" "$DEFLATE_MESSAGES" \
    > "$RESULTS/deflate.log" 2>&1 || log "deflate run failed (see $RESULTS/deflate.log)"
}

machine_info() {
  {
    echo "mode=$MODE"
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command=bench/run.sh $MODE"
    echo "nproc=$(nproc)"
    echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "memory=$(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel=$(uname -r)"
    echo "java=$(java -version 2>&1 | head -1)"
    echo "node=$(node --version)"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "redis=$(redis-server --version 2>/dev/null | awk '{print $3}')"
    echo "nats=$(nats-server --version 2>/dev/null | awk '{print $2}')"
    echo "nofile=$(ulimit -n)"
    echo "loadavg_start=$LOAD_AT_START"
    echo "loadavg_after_build=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "root_build=$ROOT_BUILD"
    echo "sizes=conns=$CONNS echo_conns=$ECHO_CONNS inflight=$INFLIGHT echo_warmup_ms=$ECHO_WARMUP_MS echo_measure_ms=$ECHO_MEASURE_MS echo_repeat=$ECHO_REPEAT warm_ms=$FANOUT_WARM_MS subs=$SUBS messages=$MESSAGES cluster_subs=$CLUSTER_SUBS cluster_messages=$CLUSTER_MESSAGES"
  } > "$RESULTS/machine.txt"
}

START=$(date +%s)
if phase build; then build; fi
if phase servers; then
  : > "$OUT"
  machine_info
else
  echo "rerun=$(echo $PHASES) at $(date -u +%Y-%m-%dT%H:%M:%SZ) (load average $(cut -d' ' -f1-3 /proc/loadavg))" >> "$RESULTS/machine.txt"
fi
if phase servers; then run_servers; fi
if phase fanout; then
  rm -f "$RESULTS"/fanout-*.jsonl
  echo "window_ms=$WINDOW_MS messages=$FANOUT_MESSAGES deliveries=$FANOUT_DELIVERIES warm_ms=$FANOUT_WARM_MS repeat=$FANOUT_REPEAT subs=${FANOUT_SUBS[*]} loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)" > "$RESULTS/fanout.txt"
  run_fanout
  echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/fanout.txt"
fi
if phase experiments; then run_broadcast_experiments; fi
if phase iouring; then rm -f "$RESULTS"/iouring-*.jsonl; run_iouring; fi
if phase cluster; then run_cluster; fi
if phase engines; then run_engines; fi
if phase profile; then run_profile; fi
if phase asprof; then run_asprof; fi
if phase syscalls; then run_syscalls; fi
if phase jmh; then run_jmh; fi
if phase deflate; then run_deflate; fi
if phase servers; then
  echo "elapsed=$(( $(date +%s) - START ))s" >> "$RESULTS/machine.txt"
  echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.txt"
fi
if [ -s "$OUT" ] && ! phase servers && [ "$(echo $PHASES)" = "cluster engines" ]; then
  # The engine phases alone (BENCH_PHASES="cluster engines" into a new directory): only their
  # section of docs/BENCHMARKS.md is replaced, the rest of the page keeps its run.
  python3 "$BENCH/report.py" "$RESULTS" --engines-into "$ROOT/docs/BENCHMARKS.md"
  log "replaced the engines section of docs/BENCHMARKS.md from $RESULTS"
elif [ -s "$OUT" ] || compgen -G "$RESULTS/fanout-*.jsonl" > /dev/null || compgen -G "$RESULTS/iouring-*.jsonl" > /dev/null; then
  python3 "$BENCH/report.py" "$RESULTS" > "$ROOT/docs/BENCHMARKS.md"
  log "wrote docs/BENCHMARKS.md from $RESULTS in $(( $(date +%s) - START ))s"
else
  log "no server results in $RESULTS: docs/BENCHMARKS.md left as it is"
fi
