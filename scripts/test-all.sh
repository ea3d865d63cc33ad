#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, integration, snapshot, property and doc tests,
# the generated per-action example tests and the end-to-end client/emulator tests), then
# Tencent's official Python SDK (from PyPI, in a venv) and Node.js SDK (from npm; skipped
# where node is not installed) against the gaap-mock binary.
# Needs cargo and python3 (node optional); run from anywhere: bash scripts/test-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
bash scripts/python-sdk-interop.sh
bash scripts/node-sdk-interop.sh
