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

# shellcheck source=lib/mock-server.sh
source scripts/lib/mock-server.sh

# A second emulator whose transitions take two seconds each (real clock; a state read right
# after a write then always falls within the delay), for the lifecycle
# with waits.
# It starts seeded with gaap-mock/seed.example.json.
start_mock_with --state-delay 2 --seed gaap-mock/seed.example.json
SLOW_ADDR="$STARTED_ADDR"

"$VENV/bin/python" scripts/python_sdk_interop.py "$ADDR" "$SECRET_ID" "$SECRET_KEY" "$SLOW_ADDR"
