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

say "clippy: native, page + process worker, thread host"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --bins -- -D warnings
cargo clippy --target wasm32-unknown-unknown --profile threads --features threads --bin thread_host -- -D warnings

say "Engine tests (native)"
cargo test

# GitHub Pages serves a project site under /<repository>/: the suite tests
# a build for such a sub-path (the Pages workflow sets LAB_PUBLIC_URL to its
# repository's and deploys the very build tested here). The e2e server reads
# the sub-path back from dist/index.html.
PUBLIC_URL="${LAB_PUBLIC_URL:-/concurrency-lab/}"
say "Release build of the site for $PUBLIC_URL (as GitHub Pages serves it)"
trunk build --offline --release --public-url "$PUBLIC_URL"

say "End-to-end tests: Chromium, Firefox ESR, WebKitGTK"
(cd tests/e2e && npm test)
