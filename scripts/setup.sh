#!/usr/bin/env bash
# Installs everything Concurrency Lab needs to build, serve and test, from
# the package registries only (crates.io, npm, Debian). Safe to run again:
# each step is skipped when its tool is already there at the right version.
#
#   scripts/setup.sh          toolchain, wasm-bindgen-cli, trunk, wasm-opt, terser
#   scripts/setup.sh --test   the same, plus Chromium and the e2e test deps
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.129   # must equal the wasm-bindgen crate (Cargo.toml)
TRUNK_VERSION=0.22.1
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Rust: nightly components for the wasm build"
# rust-toolchain.toml names the machine's nightly; add what the build needs.
rustup component add rust-src rustfmt clippy --toolchain nightly >/dev/null
rustup target add wasm32-unknown-unknown --toolchain nightly >/dev/null

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io"
  # Built outside the project so rust-toolchain.toml does not apply.
  (cd / && cargo +stable install --locked --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION")
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  say "Installing trunk $TRUNK_VERSION from crates.io"
  # trunk 0.22.1 needs rustc >= 1.96.1, newer than this machine's stable.
  (cd / && cargo +nightly install --locked --force trunk --version "$TRUNK_VERSION")
fi

# Release-build tools (scripts/post_build.py): npm's binaryen for wasm-opt
# (not trunk's own download) and terser, pinned in
# scripts/release-tools/package-lock.json.
if [[ "$(node scripts/release-tools/node_modules/binaryen/bin/wasm-opt --version 2>/dev/null)" != "wasm-opt version 132"* \
   || "$(node scripts/release-tools/node_modules/terser/bin/terser --version 2>/dev/null)" != "terser 5.51.4" ]]; then
  say "Installing wasm-opt (npm's binaryen) and terser"
  (cd scripts/release-tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if [[ "${1:-}" == "--test" ]]; then
  # Chromium for the e2e tests; Noto CJK so Korean text renders in the
  # screenshots (a reader's own machine has its Korean fonts).
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    say "Installing Debian's Chromium and Noto CJK fonts"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
  say "Installing the end-to-end test dependencies (npm)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
say "Set-up done"
