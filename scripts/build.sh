#!/usr/bin/env bash
# Builds the module into pkg/: three wasm-bindgen outputs of one release .wasm (built without std: Cargo.toml
# [features]) and a script-tag build made from the web one, each shrunk with wasm-opt and given short import names,
# the npm manifest stamped from pkg.json, the glue pages load bundled into one minified file (the JS snippet
# src/web/host.js inlined), and a size report (with `twiggy top` of a names-kept copy of the same wasm, in target/size-named/).
#   pkg/            bundler target (npm import through webpack/Vite-with-wasm-plugin): `import {Checkout} from 'gateway-checkout'`
#   pkg/web/        ES module with an explicit init (Vite, plain <script type=module>)
#   pkg/script/     the web build as one classic script for a plain <script> tag: defines one global, `GatewayCheckout`
#   pkg/node/       CommonJS for Node and other DOM-free hosts
#   pkg/card/       the card-only build (no wallets, no primitives: Cargo features), an ES module ready on import:
#                   `import {Checkout} from 'gateway-checkout/card'`
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/tools.sh
# On a fresh clone, what scripts/test.sh installs: the wasm32 target, wasm-bindgen-cli at the Cargo.toml pin, the
# npm dev packages (binaryen's wasm-opt, rolldown: the glue's bundler and minifier), twiggy, and Chromium for `node scripts/bench.mjs`,
# which runs after this script. Each is skipped when already there.
ensure_tools

# The shipped wasm is built with core and alloc rebuilt for size (ship_cargo_build in scripts/tools.sh).
SHIP_TARGET="${CARGO_TARGET_DIR:-target}/shipped"
ship_build() { # cargo build args...
  ship_cargo_build "$SHIP_TARGET" core,alloc -p gateway-checkout --no-default-features "$@"
}

say "cargo build --release (wasm32, no std, core rebuilt for size, the full module)"
ship_build --features wallets,primitives
WASM="$SHIP_TARGET/wasm32-unknown-unknown/release/gateway_checkout.wasm"

rm -rf pkg
bindgen() { # out-dir, extra args...
  local out=$1; shift
  wasm-bindgen "$WASM" --out-dir "$out" --out-name gateway_checkout "$@"
}
bindgen pkg --target bundler
bindgen pkg/web --target web
# (The script-tag build is made from the web build below: wasm-bindgen's no-modules target cannot load the module's
# JS snippet, src/web/host.js.)
bindgen pkg/node --target nodejs
# Node's require() cannot load an ES module: the Node build's copy of the snippet as CommonJS.
find pkg/node/snippets -name "*.js" -exec node scripts/bundle-glue.mjs cjs {} \;

WASM_FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
# Shrinks one wasm-bindgen output in place: wasm-opt -Oz, then short names for the hashed imports and closure
# exports in the wasm, its glue and its type files.
shrink() { # wasm, glue, type files...
  local wasm=$1 glue=$2
  shift 2
  # shellcheck disable=SC2086
  wasm-opt -O2 -Oz --strip-debug --strip-producers --strip-target-features $WASM_FEATURES "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
  node scripts/shorten-imports.mjs "$wasm" "$glue" --types "$@"
}
say "wasm-opt -Oz and short import names (wasm + glue)"
shrink pkg/gateway_checkout_bg.wasm pkg/gateway_checkout_bg.js pkg/gateway_checkout_bg.wasm.d.ts
shrink pkg/web/gateway_checkout_bg.wasm pkg/web/gateway_checkout.js pkg/web/gateway_checkout_bg.wasm.d.ts pkg/web/gateway_checkout.d.ts
shrink pkg/node/gateway_checkout_bg.wasm pkg/node/gateway_checkout.js pkg/node/gateway_checkout_bg.wasm.d.ts

# The same wasm with its function names kept (wasm-opt -g), for the size report's `twiggy top`. Never shipped.
NAMED="${CARGO_TARGET_DIR:-target}/size-named"
rm -rf "$NAMED"
wasm-bindgen "$WASM" --out-dir "$NAMED" --out-name gateway_checkout --target web --keep-debug
# shellcheck disable=SC2086
wasm-opt -O2 -Oz -g $WASM_FEATURES "$NAMED/gateway_checkout_bg.wasm" -o "$NAMED/named.wasm"
export SIZE_NAMED_WASM="$NAMED/named.wasm"

# The card-only build: the same crate without its `wallets` and `primitives` features (it overwrites $WASM, so it
# comes after everything made from the full one). Its files are named gateway_checkout_card* so that a bundler
# copying both builds' .wasm next to one bundle (esbuild) never mixes them up.
say "cargo build --release (wasm32, no std, core rebuilt for size, card only)"
ship_build
wasm-bindgen "$WASM" --out-dir pkg/card --out-name gateway_checkout_card --target web
shrink pkg/card/gateway_checkout_card_bg.wasm pkg/card/gateway_checkout_card.js pkg/card/gateway_checkout_card_bg.wasm.d.ts pkg/card/gateway_checkout_card.d.ts

# The seToken module (setoken/, RSA in its own .wasm): pkg/setoken/ and pkg/setoken-node/.
"$ROOT/scripts/build-setoken.sh"

node scripts/stamp-package.mjs
# The glue a page loads as it is, the script-tag build's and the ES modules' (`<script type=module>`), is made one
# minified file here, before the report (sizes, SRI): the snippet inlined, and the script-tag build's glue made from
# the web build's (with the same .wasm). The bundler and CommonJS glue stay as wasm-bindgen wrote them: bundlers and
# Node read them (and bundlers minify them for production).
say "bundle and minify the script-tag and ES module glue"
mkdir -p pkg/script
node scripts/bundle-glue.mjs script pkg/web/gateway_checkout.js pkg/script/gateway_checkout.js GatewayCheckout
cp pkg/web/gateway_checkout_bg.wasm pkg/web/gateway_checkout_bg.wasm.d.ts pkg/script/
node scripts/bundle-glue.mjs esm pkg/web/gateway_checkout.js
node scripts/bundle-glue.mjs esm pkg/card/gateway_checkout_card.js
rm -rf pkg/web/snippets pkg/card/snippets
node scripts/bundle-glue.mjs esm pkg/setoken/setoken.js
cp README.md pkg/README.md
node scripts/size-report.mjs
