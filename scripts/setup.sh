#!/usr/bin/env bash
# Installs everything Concurrency Lab needs to build, serve and test, from
# the package registries only (crates.io, npm, Debian). Safe to run again:
# each step is skipped when its tool is already there at the right version.
#
#   scripts/setup.sh          toolchain, wasm-bindgen-cli, trunk, wasm-opt, terser,
#                             wasm-split
#   scripts/setup.sh --test   the same, plus the browsers (Chromium, Firefox ESR,
#                             WebKitGTK with Xvfb) and the e2e test deps
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

# wasm-split, which splits the page's wasm in two (scripts/lab_split.py):
# Debian's binaryen, since npm's binaryen ships no wasm-split.
if ! command -v wasm-split >/dev/null; then
  say "Installing wasm-split (Debian's binaryen)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq binaryen >/dev/null
fi

if [[ "${1:-}" == "--test" ]]; then
  # The browsers of the e2e tests, each skipped when already there:
  # Chromium (playwright-core); Firefox ESR (puppeteer-core, engines.test.mjs);
  # WebKitGTK's WebKitWebDriver and MiniBrowser (selenium-webdriver), which
  # need a virtual display: Xvfb through xvfb-run (and xauth, which it uses).
  # Noto CJK so Korean text renders in the screenshots (a reader's own
  # machine has its Korean fonts).
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  # grep reads all of fc-list's output (no -q): under pipefail, fc-list
  # killed by SIGPIPE would fail the test although the font is there.
  fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || missing+=(xvfb)
  command -v xauth >/dev/null || missing+=(xauth)
  if (( ${#missing[@]} )); then
    say "Installing from Debian: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Waits for another apt or dpkg run (unattended upgrades) to finish.
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >/dev/null
  fi
  say "Installing the end-to-end test dependencies (npm)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
say "Set-up done"
