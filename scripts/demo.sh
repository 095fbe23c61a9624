#!/usr/bin/env bash
# The demo: installs what is missing, builds the module, starts the gateway sandbox with the storefront,
# and prints the URL to open. Ctrl-C stops it. PORT=8080 by default (PORT=0 picks a free one).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/tools.sh
source scripts/sandbox.sh
ensure_tools
scripts/build.sh
# The npm-import storefront (www/npm-demo), built with Vite against pkg/web.
npx vite build --config www/npm-demo/vite.config.js
mkdir -p target
SANDBOX_ADDR="127.0.0.1:${PORT:-8080}" start_sandbox target/sandbox-demo.log
trap 'kill $SANDBOX_PID 2>/dev/null' EXIT INT TERM
STORE_URL="${SANDBOX_URL/127.0.0.1/localhost}"
cat <<EOT

  gateway-checkout demo (sandbox: no real bank, test cards only)
  storefront:  $STORE_URL/
  gateway:     $SANDBOX_URL/payment
  $(grep -m1 '^sandbox token:' target/sandbox-demo.log || true)
  sandbox log: target/sandbox-demo.log

EOT
wait "$SANDBOX_PID"
