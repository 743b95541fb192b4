#!/usr/bin/env bash
# Sets everything up, then runs every check: formatting, clippy (native and
# both wasm builds), the engine's native tests, a release build of the site,
# and the end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "cargo fmt --check"
cargo fmt --all -- --check

say "clippy: native, page + process worker, thread host"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --bins -- -D warnings
cargo clippy --target wasm32-unknown-unknown --profile threads --features threads --bin thread_host -- -D warnings

say "Engine tests (native)"
cargo test

say "Release build of the site"
trunk build --offline --release

say "End-to-end tests in headless Chromium"
(cd tests/e2e && npm test)
