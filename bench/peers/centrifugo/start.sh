#!/usr/bin/env bash
# Bench peer: Centrifugo (built by bench/run.sh into ./bin from the Go module proxy) with the bench's
# env: PORT, HOST, JWT_SECRET (HS256 connection tokens), API_KEY (HTTP publish API). exec keeps the pid.
DIR="$(cd "$(dirname "$0")" && pwd)"
exec env CENTRIFUGO_HTTP_SERVER_ADDRESS="${HOST:-127.0.0.1}" CENTRIFUGO_HTTP_SERVER_PORT="${PORT:-8000}" \
  CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY="${JWT_SECRET:-wshub-bench-secret-0123456789abcdef}" \
  CENTRIFUGO_HTTP_API_KEY="${API_KEY:-bench-key}" "$DIR/bin/centrifugo" -c "$DIR/config.json"
