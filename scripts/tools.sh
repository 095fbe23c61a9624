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
# The browser tests' second engine (scripts/test.sh): Debian's firefox-esr, driven by geckodriver.
GECKODRIVER_VERSION="0.37.1"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml")"

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '==> %s\n' "$*"; }

ensure_rust() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { say "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  # The standard library's source: the shipped wasm's core and alloc (the seToken module's std) are rebuilt for size
  # (ship_cargo_build below, build-std).
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

# Firefox ESR and geckodriver: only scripts/test.sh needs them (the browser tests run in Firefox too).
ensure_firefox() {
  if ! command -v firefox-esr >/dev/null; then
    say "installing Debian's firefox-esr"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y --no-install-recommends firefox-esr \
      || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends firefox-esr; }
  fi
  ensure_cargo_tool geckodriver geckodriver "$GECKODRIVER_VERSION"
}

# WebKitGTK (the engine of Safari) with its WebDriver, and a virtual display for it: only scripts/test.sh needs them.
ensure_webkit() {
  if command -v WebKitWebDriver >/dev/null && command -v xvfb-run >/dev/null && command -v xauth >/dev/null; then
    return 0
  fi
  say "installing Debian's webkit2gtk-driver, xvfb and xauth"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends webkit2gtk-driver xvfb xauth \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends webkit2gtk-driver xvfb xauth; }
}

ensure_node_modules() {
  # playwright-core (driving Debian's chromium) and puppeteer-core (Debian's firefox-esr, over WebDriver BiDi): neither
  # downloads a browser; binaryen (a current wasm-opt) and rolldown (the glue bundler and minifier).
  if [ -x "$ROOT/node_modules/.bin/wasm-opt" ] && [ -d "$ROOT/node_modules/playwright-core" ] \
    && [ "$ROOT/node_modules/.package-lock.json" -nt "$ROOT/package-lock.json" ]; then
    return 0
  fi
  say "npm ci (playwright-core, puppeteer-core, binaryen, rolldown, @arethetypeswrong/cli)"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
}

# Builds a shipped .wasm (release, wasm32) with the standard library compiled from source along with the crate
# (cargo's build-std; rust-src from ensure_rust): for size, not speed (issue 13). The precompiled core/std is
# built for speed and panics with formatted messages and source paths; rebuilt here with `optimize_for_size`,
# panics that trap at once (`-Cpanic=immediate-abort`, so no core::fmt, no messages, no paths) and no location
# details; and rustc's MIR inliner switched on, which opt-level "z" leaves off (it is on for every opt-level 2/3
# release build; thresholds 30/40 measured best of 10–50/20–200), with every function of every crate (core, alloc,
# js-sys, wasm-bindgen…) open to it (`-Zcross-crate-inline-threshold=always`: −3.8 KB gzip full, −2.9 KB card, −4.1 KB
# seToken; rustc otherwise exposes only small or #[inline] functions to other crates). Legacy symbol mangling keeps the export names
# scripts/shorten-imports.mjs knows. These are unstable flags: RUSTC_BOOTSTRAP=1 allows them on the stable
# toolchain (as the Linux kernel and Firefox build their Rust), for this build only, in its own target directory
# (the tests and clippy build as usual). A toolchain that renamed one fails here, loudly, not with a bigger module.
# Without the wasm reference-types and multivalue features (stable flags; rustc turns both on by default since 1.82),
# wasm-bindgen keeps JS values in its glue's heap array instead of an externref table managed by wasm code: the
# per-export "externref shims" leave the wasm (−1.3 KB gzip full, −0.8 KB card, wasm + glue).
ship_cargo_build() { # target-dir, build-std crates (core,alloc or std,panic_abort), cargo build args...
  local target_dir=$1 std_crates=$2
  shift 2
  if ! RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none \
      -Zinline-mir=yes -Zinline-mir-threshold=30 -Zinline-mir-hint-threshold=40 -Zcross-crate-inline-threshold=always \
      -Csymbol-mangling-version=legacy -Ctarget-feature=-reference-types,-multivalue" \
    cargo build --release --target wasm32-unknown-unknown -Z build-std="$std_crates" \
    -Z build-std-features=optimize_for_size --target-dir "$target_dir" "$@"; then
    echo "the size build (build-std) failed; if this toolchain renamed one of its unstable flags, update" >&2
    echo "ship_cargo_build() in scripts/tools.sh (see README, Size)" >&2
    return 1
  fi
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
