#!/usr/bin/env bash
# Tencent's official Node.js SDK against gaap-mock: installs the SDK from npm (pinned in
# scripts/bench/package-lock.json), starts the emulator on a free 127.0.0.1 port, runs
# scripts/node_sdk_interop.js, stops the emulator. Skipped (exit 0, with a message) on a
# machine without node and npm.
# Run from anywhere: bash scripts/node-sdk-interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node-sdk-interop: node/npm not installed; skipped"
  exit 0
fi
SECRET_ID=AKIDNODEINTEROP00000000000000000
SECRET_KEY=nodeInteropSecretKey000000000000

(cd scripts/bench && npm ci --no-audit --no-fund --silent)

# shellcheck source=lib/mock-server.sh
source scripts/lib/mock-server.sh

NODE_PATH=scripts/bench/node_modules node scripts/node_sdk_interop.js "$ADDR" "$SECRET_ID" "$SECRET_KEY"
