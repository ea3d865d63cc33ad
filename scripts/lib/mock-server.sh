# Sourced by the SDK interop scripts: builds the gaap-mock binary, starts it on a free
# 127.0.0.1 port with the credential "$SECRET_ID"/"$SECRET_KEY" and --state-delay 0 (every
# write applied at once), sets ADDR (host:port), and stops it when the calling script exits.
# start_mock_with ARGS... starts another one (e.g. --state-delay 2) and sets STARTED_ADDR.

cargo build --quiet -p gaap-mock --bin gaap-mock
MOCK_BIN="${CARGO_TARGET_DIR:-target}/debug/gaap-mock"

MOCK_PIDS=()
MOCK_LOGS=()
stop_mock() {
  local pid log
  for pid in "${MOCK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for log in "${MOCK_LOGS[@]}"; do rm -f "$log"; done
}
trap stop_mock EXIT

# Starts an emulator with extra flags; sets STARTED_ADDR. Port 0: the emulator picks a free
# port and prints it. The key goes through the environment, not the command line (which
# every local user can read).
start_mock_with() {
  local log pid
  log=$(mktemp)
  GAAP_MOCK_SECRET_KEY="$SECRET_KEY" "$MOCK_BIN" --listen 127.0.0.1:0 --secret-id "$SECRET_ID" "$@" >"$log" 2>/dev/null &
  pid=$!
  MOCK_PIDS+=("$pid")
  MOCK_LOGS+=("$log")
  STARTED_ADDR=""
  for _ in $(seq 1 100); do
    STARTED_ADDR=$(sed -n 's#^gaap-mock listening on http://##p' "$log" | head -n1)
    [ -n "$STARTED_ADDR" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "gaap-mock exited early" >&2; exit 1; fi
    sleep 0.1
  done
  if [ -z "$STARTED_ADDR" ]; then echo "gaap-mock did not start" >&2; exit 1; fi
}

start_mock_with --state-delay 0
ADDR="$STARTED_ADDR"
