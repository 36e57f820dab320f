#!/usr/bin/env bash
# The event proxy's request/reply benchmark (docs/BENCHMARKS.md "Proxied request/reply"):
#
#   bench/proxy.sh            needs wshub-server/target/wshub.jar (mvn -B verify or package)
#
# The standalone jar has no Java handler for "echo", so every echo request the load generator
# sends goes through the event proxy to a local Node backend (bench/proxy/echo-backend.js, which
# checks each signature) and its answer back to the client. wshub is pinned to core 0, the
# backend and the load generator share core 1. Raw results stay in bench/results/proxy-<date>/.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
RESULTS="${BENCH_RESULTS:-$BENCH/results/proxy-$(date -u +%Y%m%d-%H%M%S)}"
CONNS="${CONNS:-100}"; INFLIGHTS="${INFLIGHTS:-8 1}"; WARMUP_MS="${WARMUP_MS:-5000}"; MEASURE_MS="${MEASURE_MS:-10000}"
SECRET="wshub-bench-backend-secret"
JAR="$ROOT/wshub-server/target/wshub.jar"
mkdir -p "$RESULTS"
[ -f "$JAR" ] || { echo "build first: mvn -B package -DskipTests (no $JAR)" >&2; exit 2; }
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done' EXIT

(cd "$BENCH/loadgen" && mvn -q -B package) > "$RESULTS/build.log" 2>&1

await_line() { # await_line FILE PREFIX: prints the rest of the first line starting with PREFIX
  for _ in $(seq 1 300); do
    if grep -q "^$2" "$1" 2>/dev/null; then grep -m1 "^$2" "$1" | sed "s/^$2//"; return; fi
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2; exit 1
}

WSHUB_BACKEND_SECRET="$SECRET" taskset -c 1 node "$BENCH/proxy/echo-backend.js" > "$RESULTS/backend.log" 2>&1 &
PIDS+=($!)
BACKEND_PORT="$(await_line "$RESULTS/backend.log" 'backend listening on ')"

taskset -c 0 java -XX:+UseG1GC -Xms1g -Xmx1g -jar "$JAR" --host 127.0.0.1 --port 0 --auth off --api-key bench \
  --backend-secret "$SECRET" --proxy-url "http://127.0.0.1:$BACKEND_PORT/" --proxy-max-in-flight 100000 \
  > "$RESULTS/wshub.log" 2>&1 &
WSHUB_PID=$!
PIDS+=($WSHUB_PID)
URL="$(await_line "$RESULTS/wshub.log" 'wshub listening on ' | awk '{print $1}')"
WS="ws://${URL#http://}/ws"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS/machine.txt"
for inflight in $INFLIGHTS; do
  taskset -c 1 java -Xms256m -Xmx512m -jar "$BENCH/loadgen/target/loadgen.jar" --scenario echo --server wshub-proxied \
    --url "$WS" --pid "$WSHUB_PID" --conns "$CONNS" --inflight "$inflight" --warmup-ms "$WARMUP_MS" \
    --measure-ms "$MEASURE_MS" --out "$RESULTS/results.jsonl" 2>> "$RESULTS/loadgen.log"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt"
curl -s "$URL/metrics" | grep '^wshub_backend_requests_seconds_count' > "$RESULTS/backend-metrics.txt" || true
cat "$RESULTS/results.jsonl"

# The section of docs/BENCHMARKS.md (kept in bench/proxy/RESULTS.md, which report.py appends).
python3 "$BENCH/proxy/section.py" "$RESULTS" "$BENCH/proxy/RESULTS.md" "$ROOT/docs/BENCHMARKS.md"
