#!/usr/bin/env bash
# The framing conformance run in one command: builds the jar and examples/raw-echo if needed,
# starts the raw echo on a free port, runs the Autobahn-numbered suite against it, stops it.
# Writes every case to conformance/last-run.md; exits non-zero if any case FAILED.
# usage: conformance/run.sh [--cases 1.,7.9]   (id prefixes, as suite.py takes them)
set -euo pipefail
cd "$(dirname "$0")/.."

jar=wshub-server/target/wshub.jar
classes=examples/raw-echo/target/classes
if [ ! -f "$jar" ] || [ ! -d "$classes/io" ]; then
  mvn -B -q package -DskipTests -pl wshub-server,examples/raw-echo -am
fi

log=$(mktemp)
java -cp "$jar:$classes" io.wshub.examples.RawEcho 0 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 150); do grep -q "raw-echo listening on" "$log" && break; sleep 0.2; done
url=$(grep -o "ws://[^ ]*" "$log" | head -n 1)
[ -n "$url" ] || { cat "$log"; echo "raw-echo did not start" >&2; exit 1; }
echo "raw-echo at $url"
status=0
python3 conformance/suite.py "$url" --markdown conformance/last-run.md "$@" || status=$?
# Nothing a client does may make the server log a warning or a stack trace.
if grep -E " (WARN|ERROR) |Exception" "$log"; then
  echo "the server logged the lines above during the run" >&2
  status=1
fi
exit "$status"
