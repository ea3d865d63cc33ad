#!/usr/bin/env bash
# Tencent's official Python SDK against gaap-mock: builds and starts the emulator on a free
# 127.0.0.1 port, runs scripts/python_sdk_interop.py, stops the emulator.
# Run from anywhere: bash scripts/python-sdk-interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-interop
COMMON_VERSION=3.1.195
GAAP_VERSION=3.1.33
SECRET_ID=AKIDINTEROP0000000000000000000000
SECRET_KEY=interopSecretKey0000000000000000

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  "tencentcloud-sdk-python-common==$COMMON_VERSION" "tencentcloud-sdk-python-gaap==$GAAP_VERSION"

cargo build --quiet -p gaap-mock --bin gaap-mock
BIN="${CARGO_TARGET_DIR:-target}/debug/gaap-mock"

LOG=$(mktemp)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -f "$LOG"
}
trap cleanup EXIT

# Port 0: the emulator picks a free port and prints it.
"$BIN" --listen 127.0.0.1:0 --secret-id "$SECRET_ID" --secret-key "$SECRET_KEY" >"$LOG" 2>/dev/null &
SERVER_PID=$!
ADDR=""
for _ in $(seq 1 100); do
  ADDR=$(sed -n 's#^gaap-mock listening on http://##p' "$LOG" | head -n1)
  [ -n "$ADDR" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "gaap-mock exited early" >&2; exit 1; fi
  sleep 0.1
done
if [ -z "$ADDR" ]; then echo "gaap-mock did not start" >&2; exit 1; fi

"$VENV/bin/python" scripts/python_sdk_interop.py "$ADDR" "$SECRET_ID" "$SECRET_KEY"
