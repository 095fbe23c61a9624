#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run on its own.
# Nothing here downloads from anywhere but the package registries (crates.io, npm, Debian).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Versions pinned in the repo. wasm-bindgen-cli must equal the `wasm-bindgen = "=X"` pin in Cargo.toml.
WASM_PACK_VERSION="0.15.1"
# The size report's `twiggy top` (scripts/size-report.mjs).
TWIGGY_VERSION="0.8.0"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml")"

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '==> %s\n' "$*"; }

ensure_rust() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { say "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  # The standard library's source: scripts/build.sh rebuilds core and alloc for size (build-std).
  rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
}

ensure_cargo_tool() { # binary, crate, version, version-probe-substring
  local bin=$1 crate=$2 version=$3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q " $version\b"; then
    return 0
  fi
  say "installing $crate $version (cargo install, a few minutes)"
  # Not --locked: with it, a yanked webpki-roots in the CLI's lockfile fails the build.
  cargo install "$crate" --version "=$version" --force
}

ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return 0; fi
  say "installing Debian's chromium and chromium-driver"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends chromium chromium-driver \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium chromium-driver; }
}

ensure_node_modules() {
  # playwright-core (driving Debian's chromium; never downloads a browser), binaryen (a current wasm-opt) and
  # rolldown (the glue minifier).
  if [ -x "$ROOT/node_modules/.bin/wasm-opt" ] && [ -d "$ROOT/node_modules/playwright-core" ] \
    && [ "$ROOT/node_modules/.package-lock.json" -nt "$ROOT/package-lock.json" ]; then
    return 0
  fi
  say "npm ci (playwright-core, binaryen, rolldown)"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
}

ensure_tools() {
  ensure_rust
  ensure_cargo_tool wasm-pack wasm-pack "$WASM_PACK_VERSION"
  ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  ensure_cargo_tool twiggy twiggy "$TWIGGY_VERSION"
  ensure_chromium
  ensure_node_modules
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then ensure_tools; fi
