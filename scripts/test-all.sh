#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, integration, snapshot, property and doc tests,
# the generated per-action example tests and the end-to-end client/emulator tests), then
# Tencent's official Python SDK (from PyPI, in a venv) against the gaap-mock binary.
# Needs only cargo and python3; run from anywhere: bash scripts/test-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
bash scripts/python-sdk-interop.sh
