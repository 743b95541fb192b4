#!/usr/bin/env bash
# The benchmark: the page in headless Chromium, the same kernels natively,
# and CPython's own models, in one run. Prints a table, writes
# bench/results.json. About 8–10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
trunk build --offline --release
tmp=$(mktemp -d)
# The native reference twice: as native code runs (sha2 picks SHA-NI at run
# time where the CPU has it) and with portable SHA-256, which is what wasm
# runs. Only the kernels are read from the second.
cargo build --release --bin bench --features soft-sha
cp target/release/bench "$tmp/bench-portable"
cargo build --release --bin bench
./target/release/bench 5000000 64 > "$tmp/native.json"
"$tmp/bench-portable" 5000000 64 > "$tmp/native-portable.json"
python3 bench/python_ref.py 1000000 16 2 > "$tmp/python.json"
node tests/e2e/bench.mjs "$tmp/native.json" "$tmp/python.json" bench/results.json "$tmp/native-portable.json"
