#!/usr/bin/env bash
# Broadcast deliveries/s with history on vs off, on the memory engine and on Redis
# (docs/history.md, docs/BENCHMARKS.md "History on vs off").
#
#   bench/history.sh [SUBS] [MESSAGES]     defaults 2000 subscribers x 100 messages
#
# Needs wshub-server/target/wshub.jar (mvn -B package in the root) and redis-server. Builds the
# load generator, then for each of four configs starts a fresh standalone server (pinned to core
# 0; Redis too), subscribes SUBS connections to tag `room` and publishes MESSAGES sends through
# POST /api/send/tag/room (the load generator on core 1). Raw results in bench/results/history-<date>/.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
SUBS="${1:-2000}"
MESSAGES="${2:-100}"
RESULTS="$BENCH/results/history-$(date -u +%Y%m%d-%H%M%S)"
OUT="$RESULTS/results.jsonl"
SECRET="wshub-bench-secret-0123456789abcdef"
API_KEY="wshub-bench-api-key"
JAR="$ROOT/wshub-server/target/wshub.jar"
mkdir -p "$RESULTS"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

(cd "$BENCH/loadgen" && mvn -q -B package -DskipTests)
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS/machine.txt"

# run NAME [SERVER ARGS...]: a fresh server, the broadcast over the HTTP API, the server stopped.
run() {
  local name="$1"; shift
  local port; port="$(free_port)"
  taskset -c 0 java -XX:+UseG1GC -Xms1g -Xmx1g -jar "$JAR" --host 127.0.0.1 --port "$port" --jwt-secret "$SECRET" \
    --api-key "$API_KEY" --auth required --demo false "$@" > "$RESULTS/$name.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  until grep -q "wshub listening on" "$RESULTS/$name.log"; do sleep 0.2; kill -0 "$pid"; done
  echo "== $name"
  taskset -c 1 java -Xms256m -Xmx512m -jar "$BENCH/loadgen/target/loadgen.jar" --secret "$SECRET" --out "$OUT" \
    --scenario broadcast --server "$name" --proto wshub --url "ws://127.0.0.1:$port/ws" --pid "$pid" \
    --subs "$SUBS" --messages "$MESSAGES" --warm-messages 10 --modes http \
    --api "http://127.0.0.1:$port" --api-key "$API_KEY" --publish-timeout-ms 120000 --collect-timeout-ms 120000 \
    2>> "$RESULTS/loadgen.log" | tee -a "$RESULTS/loadgen.log"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

HISTORY=(--history "room=1000/60")
run memory-history-off
run memory-history-on "${HISTORY[@]}"
if command -v redis-server > /dev/null; then
  rport="$(free_port)"
  taskset -c 0 redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no > "$RESULTS/redis.log" 2>&1 &
  PIDS+=("$!")
  sleep 0.5
  run redis-history-off --redis-url "redis://127.0.0.1:$rport"
  run redis-history-on --redis-url "redis://127.0.0.1:$rport" "${HISTORY[@]}"
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt"
python3 - "$OUT" <<'PY'
import json, sys
print("| config | subscribers | messages | delivered | deliveries/s | deliveries / server CPU-s | server CPU | p50 | p99 |")
print("|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("scenario") != "broadcast":
        continue
    print(f"| {r['server']} | {r['subs']:,} | {r['messages']} | {r['delivered']:,} / {r['expected']:,} | {r['deliveries_per_s']:,} "
          f"| {r['per_server_cpu_s']:,} | {r['server_cpu_pct']}% | {r['p50_us'] / 1000:.1f} ms | {r['p99_us'] / 1000:.1f} ms |")
PY
