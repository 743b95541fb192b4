#!/usr/bin/env bash
# Sets everything up, then runs every check: formatting, clippy (native and
# both wasm builds), the engine's native tests, a release build of the site
# made as the GitHub Pages workflow makes it (for a sub-path), and the
# end-to-end tests against that build in Chromium, Firefox and WebKit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "cargo fmt --check"
cargo fmt --all -- --check

# The engine is the platform-free core: no browser crate may reach it, not
# even through another dependency.
say "The engine depends on no browser crate"
if cargo tree -p concurrency-lab-engine --target all --edges normal,build --prefix none | grep -E '^(wasm-bindgen|web-sys|js-sys|yew|gloo)'; then
  echo "crates/engine must not depend on the crates above" >&2
  exit 1
fi

say "clippy: native (engine, ui state), page + process worker, thread host"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --bins -- -D warnings
cargo clippy --target wasm32-unknown-unknown --profile threads --features threads --bin thread_host -- -D warnings

say "Native tests: the engine, the ui's reducers"
cargo test --workspace

say "The page's wasm split: what moves to the lab's code (scripts/lab_split.py)"
(cd scripts && python3 -m unittest -q test_lab_split)

# GitHub Pages serves a project site under /<repository>/: the suite tests
# a build for such a sub-path (the Pages workflow sets LAB_PUBLIC_URL to its
# repository's and deploys the very build tested here). The e2e server reads
# the sub-path back from dist/index.html.
PUBLIC_URL="${LAB_PUBLIC_URL:-/concurrency-lab/}"
say "Release build of the site for $PUBLIC_URL (as GitHub Pages serves it)"
trunk build --offline --release --public-url "$PUBLIC_URL"

say "End-to-end tests: Chromium, Firefox ESR, WebKitGTK"
(cd tests/e2e && npm test)
