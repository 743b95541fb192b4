#!/usr/bin/env bash
# The benchmark: the page in headless Chromium, the same kernels natively,
# and CPython's own models, in one run. Prints a table, writes
# bench/results.json. About 3–5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
trunk build --offline --release
cargo build --release --bin bench
tmp=$(mktemp -d)
./target/release/bench 5000000 64 > "$tmp/native.json"
./target/release/bench 1000000 16 > "$tmp/native-1m-16.json"
python3 bench/python_ref.py 1000000 16 2 > "$tmp/python.json"
node tests/e2e/bench.mjs "$tmp/native.json" "$tmp/python.json" bench/results.json
