#!/usr/bin/env bash
# The npm package as merchants install it, in webpack 5, Rspack 2, Vite 8, Rollup 4, esbuild, Bun's bundler, Parcel 2, Next.js 16
# (Turbopack and webpack), Node (import and require), Bun and Deno, Jest and Vitest (jsdom) and Cloudflare's workerd: tests/bundlers/run.mjs packs pkg/, installs it
# into each fixture of tests/bundlers/ with the fixture's pinned lockfile, builds in production mode (Vite and
# Next.js also run as their dev servers), pays against the sandbox (in Chromium for the browser fixtures) and
# type-checks under tsc --strict. Prints per fixture its result, built size and build time; fails if any fixture
# fails.
#   scripts/test-bundlers.sh [fixture…]    NO_BUILD=1: use pkg/ as it is (scripts/test.sh has just built it)
# Installs what is missing first, like scripts/test.sh. Fixture installs live in $BUNDLERS_WORK
# (default ${TMPDIR:-/tmp}/gateway-checkout-bundlers) and are reused while a lockfile is unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/tools.sh
ensure_tools

if [ "${NO_BUILD:-0}" != 1 ] || [ ! -f pkg/index.js ]; then
  scripts/build.sh
fi
say "cargo build -p gateway-sandbox"
cargo build -q -p gateway-sandbox
export SANDBOX_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/gateway-sandbox"
node tests/bundlers/run.mjs "$@"
