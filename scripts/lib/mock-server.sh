# Sourced by the SDK interop scripts: builds the gaap-mock binary, starts it on a free
# 127.0.0.1 port with the credential "$SECRET_ID"/"$SECRET_KEY", sets ADDR (host:port),
# and stops it when the calling script exits.

cargo build --quiet -p gaap-mock --bin gaap-mock
MOCK_BIN="${CARGO_TARGET_DIR:-target}/debug/gaap-mock"

MOCK_LOG=$(mktemp)
MOCK_PID=""
stop_mock() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
  rm -f "$MOCK_LOG"
}
trap stop_mock EXIT

# Port 0: the emulator picks a free port and prints it. The key goes through the
# environment, not the command line (which every local user can read).
GAAP_MOCK_SECRET_KEY="$SECRET_KEY" "$MOCK_BIN" --listen 127.0.0.1:0 --secret-id "$SECRET_ID" >"$MOCK_LOG" 2>/dev/null &
MOCK_PID=$!
ADDR=""
for _ in $(seq 1 100); do
  ADDR=$(sed -n 's#^gaap-mock listening on http://##p' "$MOCK_LOG" | head -n1)
  [ -n "$ADDR" ] && break
  if ! kill -0 "$MOCK_PID" 2>/dev/null; then echo "gaap-mock exited early" >&2; exit 1; fi
  sleep 0.1
done
if [ -z "$ADDR" ]; then echo "gaap-mock did not start" >&2; exit 1; fi
