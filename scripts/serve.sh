#!/usr/bin/env bash
# Sets everything up, then builds and serves the app on http://127.0.0.1:8080
# with the COOP/COEP headers that make the page cross-origin isolated.
# A release build, so the timings the page shows are real.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec trunk serve --offline --release "$@"
